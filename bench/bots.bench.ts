/**
 * Issue 6's benchmark: the chat Lambdas as deployed.
 *
 *   npm run bench:bots        (builds, then bundles and runs this)
 *
 * - code size of each dist/lambda/<name>/ (index.mjs and its chunks; goal < 5 MB), and how much
 *   of it a cold start reads (index.mjs and the chunks it imports statically);
 * - cold initialisation: the bundle imported in a fresh Node process, median of several
 *   (goal < 500 ms), as wall time and as the process's CPU time (user + system, the steadier
 *   figure on a shared machine), and the same plus the first request (`/sre help` answered in the
 *   acknowledgement; a Teams message handed off);
 * - acknowledgement latency in-process through the real bundled handler (goal p99 < 300 ms): many
 *   freshly signed `/sre assess web-1` requests, each handing its work to an asynchronous Lambda
 *   Invoke answered by a local server, as on Lambda; `/sre help` answered in the acknowledgement;
 *   Teams messages handed off the same way. As deployed: Slack records each signature in the
 *   state table (moto here, so that part of the latency is moto's, not DynamoDB's), and Teams
 *   checks a Bot Framework token against OpenID metadata served locally.
 *
 * Prints numbers; asserts nothing (a shared machine is noisy: compare with the goals).
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable } from '../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { bundleLambdas, LAMBDAS, repoRoot } from '../scripts/bundle-lambdas.js';
import { channelToken, signingKey } from '../test/integration/teams/teams-events.js';
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from '../test/support/moto.js';

const ROOT = repoRoot();
const OUT = join(ROOT, 'dist', 'lambda');
const COLD_RUNS = Number(process.env.SRE_OPS_BENCH_COLD_RUNS ?? 9);
const ACKS = Number(process.env.SRE_OPS_BENCH_ACKS ?? 2000);
const SECRET = 'bench-signing-secret';
const APP_ID = '11111111-2222-4333-8444-555555555555';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string } | undefined>;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
}

const median = (xs: number[]): number => quantile(xs, 0.5);
const ms = (x: number): string => `${x.toFixed(1)} ms`;

function runNode(script: string, env: Record<string, string>): Promise<{ out: string; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ out, wallMs: performance.now() - t0 }) : reject(new Error(`exit ${code}: ${err.slice(-1500)}`))));
  });
}

function slashEvent(text: string, responseUrl: string): unknown {
  const body = new URLSearchParams({ command: '/sre', text, user_id: 'U0001', user_name: 'bench', team_id: 'T0001', channel_id: 'C0001', response_url: responseUrl, trigger_id: `t-${Math.random()}` }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { version: '2.0', rawPath: '/slack/events', requestContext: { http: { method: 'POST' } }, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig }, body, isBase64Encoded: false };
}

function teamsEvent(text: string, serviceUrl: string, token: string): unknown {
  const activity = {
    type: 'message', id: `act-${Math.random()}`, channelId: 'msteams', serviceUrl, text,
    from: { id: '29:u', aadObjectId: '00000000-0000-4000-8000-000000000001', name: 'Bench' },
    conversation: { id: 'a:conv', conversationType: 'personal' }, recipient: { id: '28:bot', name: 'SRE' },
  };
  return { httpMethod: 'POST', path: '/teams/messages', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(activity), isBase64Encoded: false };
}

async function latencies(n: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(50, n); i++) await call(); // warm: the first calls build the app
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    out.push(performance.now() - t0);
  }
  return out;
}

function line(label: string, xs: number[]): string {
  return `  ${label.padEnd(44)} p50 ${ms(median(xs)).padStart(9)}  p95 ${ms(quantile(xs, 0.95)).padStart(9)}  p99 ${ms(quantile(xs, 0.99)).padStart(9)}  max ${ms(Math.max(...xs)).padStart(9)}`;
}

async function main(): Promise<void> {
  process.removeAllListeners('warning');
  const present = LAMBDAS.filter((l) => existsSync(join(ROOT, l.entry)));
  // Bundled afresh: the figures are of the sources as they are now (and the bundler reports what loads at init).
  const bundles = await bundleLambdas({ root: ROOT, outDir: OUT, only: present.map((l) => l.name) });

  // A local "Lambda" that accepts asynchronous invocations, and a response_url / connector sink.
  // It also publishes the Bot Framework's OpenID metadata and a signing key: the Teams function
  // authenticates every activity, as deployed.
  const key = signingKey('bench-key');
  let invokes = 0;
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      if (req.url === '/openid/.well-known/openidconfiguration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `http://${req.headers.host}/openid/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else if (req.url === '/openid/keys') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.jwk] }));
      } else if (req.url?.startsWith('/2015-03-31/functions/')) {
        invokes++;
        res.writeHead(202).end();
      } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The state table in moto: Slack records every signature there (replay refusal), as deployed.
  const moto = await startMoto();
  const dynamo = new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  await createStateTable(dynamo, 'sre-ops-bench');
  dynamo.destroy();
  const token = channelToken(key.privateKey, 'bench-key', { aud: APP_ID, serviceurl: `${base}/` });
  const env = {
    SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-bench', SRE_OPS_SOURCE: 'demo', XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'sre-ops-bench-')),
    AWS_LAMBDA_FUNCTION_NAME: 'sre-bench', AWS_REGION: MOTO_REGION, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_LAMBDA: base, AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint, SRE_OPS_STATE_TABLE: 'sre-ops-bench',
    MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'bench', MicrosoftAppType: 'MultiTenant',
    ToBotFromChannelOpenIdMetadataUrl: `${base}/openid/.well-known/openidconfiguration`, ToBotFromEmulatorOpenIdMetadataUrl: `${base}/openid/.well-known/openidconfiguration`,
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com', ToChannelFromBotOAuthScope: 'https://api.botframework.com', ValidateAuthority: 'true',
  };

  console.log(`node ${process.version}, ${COLD_RUNS} cold starts per bundle, ${ACKS} acknowledgements per case, load average ${loadavg()[0]!.toFixed(1)}\n`);
  console.log('Bundles (goal: < 5 MB of code each; cold init goal: < 500 ms)');
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;
  for (const b of bundles) {
    console.log(`  ${b.name.padEnd(9)} ${mb(b.bytes)} of code, ${mb(b.initBytes)} read at init; source maps in ${relative(ROOT, b.sourcemapDir ?? '-')}`);
    if (b.name !== 'slack' && b.name !== 'teams') continue;
    const url = pathToFileURL(b.file).href;
    const cold = { importWall: [] as number[], importCpu: [] as number[], firstWall: [] as number[], firstCpu: [] as number[] };
    // A fresh event each run: the same signed request twice would be refused as a replay.
    const firstOf = (): string => b.name === 'slack'
      ? `const r = await m.handler(${JSON.stringify(slashEvent('help', `${base}/hooks`))}, {}); if (r.statusCode !== 200) throw new Error(String(r.statusCode));`
      : `const r = await m.handler(${JSON.stringify(teamsEvent('sre plan', `${base}/`, token))}, {}); if (r.statusCode !== 200) throw new Error(String(r.statusCode));`;
    for (let i = 0; i < COLD_RUNS; i++) {
      const first = firstOf();
      const { out } = await runNode(
        'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };' +
          `const c0 = cpu(); const t0 = performance.now(); const m = await import(${JSON.stringify(url)}); const t1 = performance.now(); const c1 = cpu();` +
          `${first} process.stdout.write(JSON.stringify([t1 - t0, c1 - c0, performance.now() - t0, cpu() - c0]));`,
        env,
      );
      const [iw, ic, fw, fc] = JSON.parse(out) as [number, number, number, number];
      cold.importWall.push(iw);
      cold.importCpu.push(ic);
      cold.firstWall.push(fw);
      cold.firstCpu.push(fc);
    }
    console.log(`            init (import) median ${ms(median(cold.importWall))} wall, ${ms(median(cold.importCpu))} CPU;  init + first request median ${ms(median(cold.firstWall))} wall, ${ms(median(cold.firstCpu))} CPU`);
  }

  Object.assign(process.env, env);
  const slack = (await import(pathToFileURL(join(OUT, 'slack', 'index.mjs')).href)) as { handler: Handler };
  const teams = (await import(pathToFileURL(join(OUT, 'teams', 'index.mjs')).href)) as { handler: Handler };
  console.log('\nAcknowledgement latency in-process through the bundled handlers (goal: p99 < 300 ms)');
  const check = (r: { statusCode: number } | undefined): void => {
    if (r?.statusCode !== 200) throw new Error(`unexpected status ${r?.statusCode}`);
  };
  console.log(line('/sre help (answered in the ack)', await latencies(ACKS, async () => check(await slack.handler(slashEvent('help', `${base}/hooks`), {})))));
  const before = invokes;
  console.log(line('/sre assess web-1 (ack + async Invoke)', await latencies(ACKS, async () => check(await slack.handler(slashEvent('assess web-1', `${base}/hooks`), {})))));
  console.log(line('Teams "sre plan" (turn + async Invoke)', await latencies(Math.ceil(ACKS / 4), async () => check(await teams.handler(teamsEvent('sre plan', `${base}/`, token), {})))));
  console.log(`  (${invokes - before} asynchronous invocations handed off)`);
  server.close();
  await moto.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
