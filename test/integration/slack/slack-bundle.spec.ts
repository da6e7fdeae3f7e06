import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HttpResult } from '../../../adapters/inbound/chat/api-gateway-event.js';
import { bundleLambdas, LAMBDAS, type BundleResult } from '../../../scripts/bundle-lambdas.js';
import { startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import sinon from 'sinon';
import { createStateTable } from '../../../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { withEnv } from '../../support/with-env.js';
import { BOT_TOKEN, SIGNING_SECRET, slashCommand } from './slack-events.js';

type Handler = (event: unknown, context: unknown) => Promise<HttpResult | undefined>;

describe('the Slack Lambda bundle (npm run bundle), loaded and called as Lambda would', function () {
  this.timeout(60_000);
  let out: string;
  let result: BundleResult;
  let bundle: string;
  let server: CaptureServer;
  let restore: () => void;
  const moto = useMoto();
  let table: string;
  let tables = 0;
  /** The state table in moto, as the deployed functions find it (SRE_OPS_STATE_TABLE). */
  const stateTableEnv = (): Record<string, string> => ({
    SRE_OPS_STATE_TABLE: table, AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint, AWS_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  });
  beforeEach(async () => {
    table = `sre-ops-state-${++tables}`;
    const c = new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    await createStateTable(c, table);
    c.destroy();
  });

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'sre-ops-bundle-'));
    // As `npm run bundle` lays it out: <out>/lambda/slack, source maps in <out>/lambda-sourcemaps/slack.
    [result] = (await bundleLambdas({ outDir: join(out, 'lambda'), only: ['slack'] })) as [BundleResult];
    bundle = result.file;
    server = await startCaptureServer((req) => (req.path.startsWith('/2015-03-31/functions/') ? { status: 202, text: '' } : undefined));
  });
  after(async () => {
    await server.close();
    rmSync(out, { recursive: true, force: true });
  });
  // Without SRE_OPS_STATE_TABLE the state store is an SQLite file: XDG_CONFIG_HOME keeps it out of ~.
  afterEach(() => restore?.());

  /** A fresh instance of the bundle (a new module URL), as a new Lambda container would load it. */
  async function load(tag: string): Promise<Handler> {
    const mod = (await import(`${pathToFileURL(bundle).href}?${tag}`)) as { handler?: Handler };
    expect(mod.handler, 'the bundle exports handler').to.be.a('function');
    return mod.handler!;
  }

  it('is index.mjs and its chunks at dist/lambda/<name>/, under 5 MB, the demo fleet beside it', () => {
    const dir = join(out, 'lambda', 'slack');
    expect(bundle).to.equal(join(dir, 'index.mjs'));
    const shipped = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    expect(shipped.filter((f) => f.startsWith('chunks/') && f.endsWith('.mjs')), 'the chunks import() loads').to.not.be.empty;
    const codeBytes = shipped.filter((f) => f.endsWith('.mjs')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(codeBytes).to.be.below(5 * 1024 * 1024);
    expect(statSync(join(dir, 'examples', 'demo-fleet', 'snapshot.json')).isFile()).to.equal(true);
    expect(LAMBDAS.map((l) => l.name)).to.include.members(['slack', 'teams', 'collector']);
  });

  it('keeps the source maps out of the folder the CDK uploads, each file pointing at its map beside it', () => {
    const dir = join(out, 'lambda', 'slack');
    const maps = join(out, 'lambda-sourcemaps', 'slack');
    expect(readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map'))).to.deep.equal([]);
    expect(result.sourcemapDir).to.equal(maps);
    const map = JSON.parse(readFileSync(join(maps, 'index.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('composition/slack-lambda.ts'))).to.equal(true);
    expect(readFileSync(bundle, 'utf8').trimEnd().split('\n').at(-1)).to.equal('//# sourceMappingURL=../../lambda-sourcemaps/slack/index.mjs.map');
    for (const chunk of readdirSync(join(dir, 'chunks')).filter((f) => f.endsWith('.mjs'))) {
      expect(existsSync(join(maps, 'chunks', `${chunk}.map`)), chunk).to.equal(true);
    }
  });

  it('loads at cold start what an acknowledgement needs: Bolt, not the Assistant, the AWS SDK or unused receivers', () => {
    expect(result.initInputs).to.include('composition/slack-lambda.ts');
    expect(result.initInputs.some((i) => i.startsWith('@slack/bolt/'))).to.equal(true);
    // The composition root and every AWS client are import()ed when a command needs them; Socket
    // Mode (undici), Express and raw-body belong to Bolt receivers a Lambda never builds.
    const heavy = /^(@aws-sdk\/client-|composition\/(index|container)\.ts$|@slack\/socket-mode\/|express\/|raw-body\/|undici\/|iconv-lite\/)/;
    expect(result.initInputs.filter((i) => heavy.test(i))).to.deep.equal([]);
    expect(result.initBytes).to.be.below(result.bytes / 2);
  });

  it('answers a signed /sre help in the acknowledgement and refuses a bad signature', async () => {
    restore = withEnv({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SRE_OPS_SOURCE: 'demo', XDG_CONFIG_HOME: join(out, 'config') });
    const handler = await load('help');
    // The bot's warnings go to the logs as JSON lines: captured here, and asserted, rather than
    // printed among the test results.
    const logs = sinon.stub(console, 'error');
    let ok: HttpResult | undefined;
    let bad: HttpResult | undefined;
    try {
      ok = await handler(slashCommand('help', { responseUrl: `${server.url}/hooks/1`, shape: 'v2', base64: true }), {});
      bad = await handler(slashCommand('help', { responseUrl: `${server.url}/hooks/1`, secret: 'wrong' }), {});
    } finally {
      logs.restore();
    }

    expect(ok?.statusCode).to.equal(200);
    expect(ok!.body).to.include('SRE assistant').and.include('/sre assess [INSTANCE]');
    expect(bad?.statusCode).to.equal(401);
    const lines = logs.getCalls().map((c) => JSON.parse(String(c.args[0])) as { level: string; surface: string; message: string });
    expect(lines.map((l) => l.message)).to.deep.equal([
      'replayed requests are refused within this process only (the Lambda functions keep patch runs in DynamoDB: set SRE_OPS_STATE_TABLE (SQLite is not in the bundle))',
      'refused a request with a missing, stale or wrong Slack signature (401)',
    ]);
    expect(lines.every((l) => l.surface === 'slack' && l.level === 'warn')).to.equal(true);
  });

  it('on Lambda, hands slow work to an asynchronous self-invocation, whose event then answers on the response_url', async () => {
    restore = withEnv({
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SRE_OPS_SOURCE: 'demo', XDG_CONFIG_HOME: join(out, 'config'),
      AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', AWS_LAMBDA_FUNCTION_VERSION: '7', ...stateTableEnv(), AWS_ENDPOINT_URL_LAMBDA: server.url,
    });
    const handler = await load('lambda');

    const ack = await handler(slashCommand('assess', { responseUrl: `${server.url}/hooks/2` }), {});
    expect(ack?.statusCode).to.equal(200);
    const invoke = server.to('/2015-03-31/functions/sre-slack/invocations')[0]!;
    expect(invoke.headers['x-amz-invocation-type']).to.equal('Event');
    expect(invoke.path).to.include('Qualifier=7');
    expect(server.to('/hooks/2'), 'nothing answered yet').to.have.length(0);

    const done = await handler(invoke.body, { functionName: 'sre-slack' });
    expect(done).to.equal(undefined);
    const answer = server.to('/hooks/2')[0]!;
    expect(JSON.stringify(answer.body)).to.include('Fleet risk').and.include('source demo');
  });

  it('refuses a replay of a signed request, on the same instance and on another one (the state table is shared)', async () => {
    restore = withEnv({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SRE_OPS_SOURCE: 'demo', XDG_CONFIG_HOME: join(out, 'config'), ...stateTableEnv() });
    const first = await load('replay-a');
    const second = await load('replay-b');
    const request = slashCommand('help', { responseUrl: `${server.url}/hooks/3` });
    const quiet = sinon.stub(console, 'error');
    let results: (HttpResult | undefined)[];
    try {
      results = [await first(request, {}), await first(request, {}), await second(request, {})];
    } finally {
      quiet.restore();
    }

    expect(results.map((r) => r?.statusCode)).to.deep.equal([200, 401, 401]);
    expect(quiet.getCalls().map((c) => String(c.args[0])).join('\n')).to.include('refused a replayed Slack request: its signature was already used (401)');
  });

  it('refuses a timestamp more than five minutes in the future, like a stale one', async () => {
    restore = withEnv({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SRE_OPS_SOURCE: 'demo', XDG_CONFIG_HOME: join(out, 'config'), ...stateTableEnv() });
    const handler = await load('future');
    const now = Math.floor(Date.now() / 1000);
    const quiet = sinon.stub(console, 'error');
    let results: (HttpResult | undefined)[];
    try {
      results = [
        await handler(slashCommand('help', { responseUrl: `${server.url}/hooks/4`, timestamp: now + 6 * 60 }), {}),
        await handler(slashCommand('help', { responseUrl: `${server.url}/hooks/4`, timestamp: now - 6 * 60 }), {}),
        await handler(slashCommand('help', { responseUrl: `${server.url}/hooks/4`, timestamp: now + 60 }), {}),
      ];
    } finally {
      quiet.restore();
    }

    expect(results.map((r) => r?.statusCode)).to.deep.equal([401, 401, 200]);
  });

  it('on Lambda without a state table, refuses to start and says which variable is missing', async () => {
    restore = withEnv({
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SRE_OPS_SOURCE: 'demo', XDG_CONFIG_HOME: join(out, 'config'),
      AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_LAMBDA: server.url,
    });
    const handler = await load('no-table');
    const quiet = sinon.stub(console, 'error');
    let res: HttpResult | undefined;
    try {
      res = await handler(slashCommand('help', { responseUrl: `${server.url}/hooks/5` }), {});
    } finally {
      quiet.restore();
    }

    expect(res?.statusCode).to.equal(500);
    expect(quiet.getCalls().map((c) => String(c.args[0])).join('\n')).to.include('SRE_OPS_STATE_TABLE is not set: on Lambda the bot records request signatures in the state table');
  });
});
