import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sinon from 'sinon';
import type { HttpResult } from '../../../adapters/inbound/chat/api-gateway-event.js';
import { bundleLambdas, type BundleResult } from '../../../scripts/bundle-lambdas.js';
import { startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { withEnv } from '../../support/with-env.js';
import { cardText } from './teams-harness.js';
import { activity, channelToken, REQUESTER_AAD, signingKey, teamsEvent } from './teams-events.js';

type Handler = (e: unknown, c: unknown) => Promise<HttpResult | undefined>;

const APP_ID = '11111111-2222-4333-8444-555555555555';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sre-ops/teams-AbCdEf';
const KEY = signingKey('bundle-key-1');

describe('the Teams Lambda bundle (npm run bundle), loaded and called as Lambda would', function () {
  this.timeout(60_000);
  let out: string;
  let result: BundleResult;
  let bundle: string;
  let connector: CaptureServer;
  let restore: (() => void) | undefined;
  let logged: sinon.SinonStub | undefined;
  let loads = 0;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'sre-ops-bundle-'));
    [result] = (await bundleLambdas({ outDir: out, only: ['teams'], sourcemap: false })) as [BundleResult];
    bundle = result.file;
  });
  beforeEach(async () => {
    connector = await startCaptureServer((req) => {
      if (req.headers['x-amz-target'] === 'secretsmanager.GetSecretValue') {
        // A secret holding a password but no appId (and MicrosoftAppId unset): the case that failed open.
        return { json: { ARN: SECRET_ARN, Name: 'sre-ops/teams', SecretString: JSON.stringify({ appPassword: 'pw-from-secret' }), VersionId: 'v1' }, headers: { 'content-type': 'application/x-amz-json-1.1' } };
      }
      if (req.path === '/broken/.well-known/openidconfiguration') return { status: 500, text: 'down' };
      if (req.path === '/openid/.well-known/openidconfiguration') return { json: { issuer: 'https://api.botframework.com', jwks_uri: `http://${req.headers.host}/openid/keys`, id_token_signing_alg_values_supported: ['RS256'] } };
      if (req.path === '/openid/keys') return { json: { keys: [KEY.jwk] } };
      if (req.path.startsWith('/2015-03-31/functions/')) return { status: 202, text: '' };
      return req.method === 'POST' ? { json: { id: 'bot-msg-1' } } : undefined;
    });
  });
  afterEach(async () => {
    restore?.();
    restore = undefined;
    logged?.restore();
    logged = undefined;
    await connector.close();
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  /** A fresh instance of the bundle (a new module URL), as a new Lambda container would load it; its log lines captured. */
  async function load(env: Record<string, string>): Promise<{ handler: Handler; logs: () => string }> {
    restore = withEnv({ SRE_OPS_SOURCE: 'demo', SRE_OPS_TEAMS_REQUESTERS: REQUESTER_AAD, XDG_CONFIG_HOME: join(out, 'config'), ...env });
    logged = sinon.stub(console, 'error');
    const stub = logged;
    const { handler } = (await import(`${pathToFileURL(bundle).href}?load=${++loads}`)) as { handler: Handler };
    return { handler, logs: () => stub.getCalls().map((c) => c.args.map(String).join(' ')).join('\n') };
  }

  it('loads at cold start botbuilder, which every request needs, and neither the Assistant nor the AWS SDK', () => {
    expect(result.initInputs.some((i) => i.startsWith('botbuilder/'))).to.equal(true);
    const heavy = /^(@aws-sdk\/client-|composition\/(index|container)\.ts$)/;
    expect(result.initInputs.filter((i) => heavy.test(i))).to.deep.equal([]);
    expect(result.initBytes).to.be.below(result.bytes);
  });

  it('is index.mjs and its chunks under 5 MB exporting handler', () => {
    expect(bundle).to.equal(join(out, 'teams', 'index.mjs'));
    expect(result.bytes).to.be.below(5 * 1024 * 1024);
  });

  it('with an app id, checks the Bot Framework token against the OpenID keys (401 without one) and hands the work off', async () => {
    const { handler } = await load({
      MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-password', MicrosoftAppType: 'MultiTenant',
      ToBotFromChannelOpenIdMetadataUrl: `${connector.url}/openid/.well-known/openidconfiguration`,
      ToBotFromEmulatorOpenIdMetadataUrl: `${connector.url}/emulator/.well-known/openidconfiguration`,
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com', CallerId: 'urn:botframework:azure', ValidateAuthority: 'true',
      AWS_LAMBDA_FUNCTION_NAME: 'sre-teams', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL_LAMBDA: connector.url,
    });
    const body = activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre plan', id: 'act-2' });
    const token = channelToken(KEY.privateKey, 'bundle-key-1', { aud: APP_ID, serviceurl: `${connector.url}/teams/` });

    const refused = await handler(teamsEvent(body), {});
    const accepted = await handler(teamsEvent(body, { authorization: `Bearer ${token}`, shape: 'v2' }), {});

    expect([refused?.statusCode, accepted?.statusCode]).to.deep.equal([401, 200]);
    expect((JSON.parse(refused!.body) as { error: { code: string } }).error.code).to.equal('UNAUTHORIZED');
    expect(connector.to('/openid/keys'), 'the keys were fetched (node-fetch in the bundle)').to.not.be.empty;
    expect(connector.to('/2015-03-31/functions/sre-teams/invocations')).to.have.length(1);
  });

  it('refuses to start without an app id: no answer goes to the serviceUrl, and the log names what is missing', async () => {
    const { handler, logs } = await load({});

    const res = await handler(teamsEvent(activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre plan' })), {});

    expect(res?.statusCode).to.equal(500);
    expect(connector.requests).to.have.length(0);
    expect(logs()).to.include('MicrosoftAppId is not set: the Teams bot does not start without its app id and credentials');
  });

  it('refuses to start when TEAMS_SECRET_ARN names a secret without appId (and MicrosoftAppId is unset)', async () => {
    const { handler, logs } = await load({ TEAMS_SECRET_ARN: SECRET_ARN, AWS_ENDPOINT_URL_SECRETS_MANAGER: connector.url, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });

    const res = await handler(teamsEvent(activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre plan' })), {});

    expect(res?.statusCode).to.equal(500);
    expect(connector.requests.filter((r) => r.path.startsWith('/teams/'))).to.have.length(0);
    expect(logs()).to.include('MicrosoftAppId is not set and the secret named by TEAMS_SECRET_ARN has no appId field').and.not.include('pw-from-secret');
  });

  it('in emulator mode answers "sre help" with a card, says on the answer and the reply that nothing is authenticated', async () => {
    const { handler, logs } = await load({ SRE_OPS_TEAMS_EMULATOR: 'true' });

    const res = await handler(teamsEvent(activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre help', id: 'act-1' }), { shape: 'v2' }), {});

    expect(res?.statusCode).to.equal(200);
    expect(res?.headers?.['x-sre-ops-authentication']).to.equal('none (emulator mode)');
    const [reply] = connector.requests;
    expect(reply!.path).to.equal('/teams/v3/conversations/a%3Aconv-1/activities/act-1');
    expect(cardText(reply!)).to.include('SRE assistant');
    expect(reply!.body.text).to.include('NOT authenticated');
    expect(logs()).to.include('SRE_OPS_TEAMS_EMULATOR=true: requests are NOT authenticated');
  });

  it('in emulator mode refuses an activity whose serviceUrl is not on this machine (403, envelope), and sends nothing there', async () => {
    const { handler } = await load({ SRE_OPS_TEAMS_EMULATOR: 'true' });

    const res = await handler(teamsEvent(activity({ serviceUrl: 'https://attacker.example/teams/', text: 'sre plan', aad: REQUESTER_AAD })), {});

    expect(res?.statusCode).to.equal(403);
    const body = JSON.parse(res!.body) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).to.equal('FORBIDDEN');
    expect(body.error.requestId).to.be.a('string').and.not.equal('');
    expect(connector.requests).to.have.length(0);
  });

  it('refuses the emulator switch on Lambda', async () => {
    const { handler, logs } = await load({ SRE_OPS_TEAMS_EMULATOR: 'true', AWS_LAMBDA_FUNCTION_NAME: 'sre-teams' });

    const res = await handler(teamsEvent(activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre help' })), {});

    expect(res?.statusCode).to.equal(500);
    expect(connector.requests).to.have.length(0);
    expect(logs()).to.include('SRE_OPS_TEAMS_EMULATOR=true is for the Bot Framework Emulator on one machine and is refused on Lambda');
  });

  for (const [what, metadata] of [
    ['unreachable', 'http://127.0.0.1:9/.well-known/openidconfiguration'],
    ['answering 500', '/broken/.well-known/openidconfiguration'],
  ] as const) {
    it(`answers 503 in the error envelope, with no internal text, when the OpenID metadata is ${what}`, async () => {
      const url = metadata.startsWith('/') ? `${connector.url}${metadata}` : metadata;
      const { handler, logs } = await load({
        MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw', MicrosoftAppType: 'MultiTenant', ToBotFromChannelOpenIdMetadataUrl: url,
        ToBotFromChannelTokenIssuer: 'https://api.botframework.com', ToBotFromEmulatorOpenIdMetadataUrl: url, ToChannelFromBotOAuthScope: 'https://api.botframework.com',
        ToChannelFromBotLoginUrl: `${connector.url}/login/botframework.com`, OAuthUrl: `${connector.url}/oauth`, CallerId: 'urn:botframework:azure', ValidateAuthority: 'true',
      });
      const key = signingKey('k1');
      const token = channelToken(key.privateKey, 'k1', { aud: APP_ID, serviceurl: `${connector.url}/teams/` });

      const res = await handler(teamsEvent(activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre plan' }), { authorization: `Bearer ${token}` }), {});

      expect(res?.statusCode, `${res?.body}\n${logs()}`).to.equal(503);
      expect(res?.headers?.['content-type']).to.equal('application/json');
      const body = JSON.parse(res!.body) as { error: { code: string; message: string; requestId: string } };
      expect(body.error.code).to.equal('SERVICE_UNAVAILABLE');
      expect(body.error.message).to.equal('the Bot Framework signing keys cannot be fetched now; retry shortly');
      expect(res!.body).to.not.match(/127\.0\.0\.1|ECONNREFUSED|Failed to load|request to/);
      expect(logs()).to.include(`request ${body.error.requestId}`);
      expect(connector.requests.filter((r) => r.path.startsWith('/teams/'))).to.have.length(0);
    });
  }
});
