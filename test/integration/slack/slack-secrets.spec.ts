import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackLambdaHandler } from '../../../composition/slack-lambda.js';
import { InProcessDeferredWork } from '../../../adapters/outbound/memory/in-process-deferred-work.js';
import { startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { BOT_TOKEN, SIGNING_SECRET, slashCommand } from './slack-events.js';

describe('Slack secrets from Secrets Manager (SLACK_SECRET_ARN, a local Secrets Manager)', function () {
  this.timeout(20_000);
  let sm: CaptureServer;
  let secret: unknown;
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sre-ops/slack-AbCdEf';
  // The replay guard's SQLite file goes here, not under ~.
  const config = join(tmpdir(), `sre-ops-slack-secrets-${process.pid}`);

  beforeEach(async () => {
    secret = { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN };
    sm = await startCaptureServer((req) => {
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') return { status: 400, json: { __type: 'InvalidRequestException' } };
      if (req.body.SecretId !== ARN) return { status: 400, json: { __type: 'ResourceNotFoundException', message: 'Secrets Manager can\'t find the specified secret.' } };
      return { json: { ARN, Name: 'sre-ops/slack', SecretString: typeof secret === 'string' ? secret : JSON.stringify(secret), VersionId: 'v1' }, headers: { 'content-type': 'application/x-amz-json-1.1' } };
    });
  });
  afterEach(() => sm.close());

  function client(): SecretsManagerClient {
    return new SecretsManagerClient({ endpoint: sm.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  }

  it('reads the signing secret and token once per container and verifies requests with them', async () => {
    const logs: string[] = [];
    const handler = createSlackLambdaHandler({ env: { SLACK_SECRET_ARN: ARN, XDG_CONFIG_HOME: config }, secretsClient: client(), deferred: new InProcessDeferredWork(), log: (l) => logs.push(l) });

    const results = [];
    for (let i = 0; i < 3; i++) results.push(await handler(slashCommand('help', { responseUrl: 'http://127.0.0.1:9/unused' }), {}));
    const bad = await handler(slashCommand('help', { responseUrl: 'http://127.0.0.1:9/unused', secret: 'guess' }), {});

    expect(results.map((r) => r?.statusCode)).to.deep.equal([200, 200, 200]);
    expect(bad?.statusCode).to.equal(401);
    expect(sm.requests).to.have.length(1);
    expect(logs.join('\n')).to.not.include(SIGNING_SECRET).and.not.include(BOT_TOKEN);
  });

  it('answers 500 when the secret lacks a field, logs which field (never a value), and tries again on the next request', async () => {
    secret = { signingSecret: SIGNING_SECRET };
    const logs: string[] = [];
    const handler = createSlackLambdaHandler({ env: { SLACK_SECRET_ARN: ARN, XDG_CONFIG_HOME: config }, secretsClient: client(), deferred: new InProcessDeferredWork(), log: (l) => logs.push(l) });

    const first = await handler(slashCommand('help', { responseUrl: 'http://127.0.0.1:9/unused' }), {});
    secret = { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN };
    const second = await handler(slashCommand('help', { responseUrl: 'http://127.0.0.1:9/unused' }), {});

    expect(first?.statusCode).to.equal(500);
    expect(logs.join('\n')).to.include('the secret has no botToken field').and.not.include(SIGNING_SECRET);
    expect(second?.statusCode).to.equal(200);
    expect(sm.requests).to.have.length(2);
  });

  it('says which variables to set when there are no credentials at all', async () => {
    const logs: string[] = [];
    const handler = createSlackLambdaHandler({ env: { XDG_CONFIG_HOME: config }, deferred: new InProcessDeferredWork(), log: (l) => logs.push(l) });

    const res = await handler(slashCommand('help', { responseUrl: 'http://127.0.0.1:9/unused' }), {});

    expect(res?.statusCode).to.equal(500);
    expect(logs.join('\n')).to.include('SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or SLACK_SECRET_ARN');
  });

  it('never logs a secret that is not JSON', async () => {
    secret = `not json ${SIGNING_SECRET}`;
    const logs: string[] = [];
    const handler = createSlackLambdaHandler({ env: { SLACK_SECRET_ARN: ARN, XDG_CONFIG_HOME: config }, secretsClient: client(), deferred: new InProcessDeferredWork(), log: (l) => logs.push(l) });

    const res = await handler(slashCommand('help', { responseUrl: 'http://127.0.0.1:9/unused' }), {});

    expect(res?.statusCode).to.equal(500);
    expect(logs.join('\n')).to.include('is not JSON').and.not.include(SIGNING_SECRET);
  });
});
