import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../adapters/inbound/http/api-keys.js';
import { CLI, DEMO_FLEET } from '../../support/paths.js';
import { NOW } from './http-test-kit.js';
import { serverCommand, spawnServer, type ServerProcess } from './server-process.js';

const KEY = 'k-process-test-0123456789';
const KEYS_JSON = JSON.stringify([{ name: 'ops-bot', sha256: sha256Hex(KEY), scopes: ['read', 'operate'] }]);

describe('the HTTP service process (composition/http-server, spawned)', function () {
  this.timeout(60_000);
  let home: string;
  let running: ServerProcess | undefined;
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    HOME: home, PORT: '0', HOST: '127.0.0.1', SRE_OPS_SOURCE: `snapshot:${DEMO_FLEET}`, SRE_OPS_NOW: NOW, ...extra,
  });

  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'sre-ops-server-'))));
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses to start without an API key (exit 2) and says how to configure one', async () => {
    running = spawnServer(serverCommand(), env());
    const code = await running.exited;

    expect(code).to.equal(2);
    expect(running.stderr()).to.contain('no API key configured: set SRE_OPS_API_KEYS or pass --api-keys FILE');
  });

  it('refuses a malformed key list naming the entry and the field', async () => {
    running = spawnServer(serverCommand(), env({ SRE_OPS_API_KEYS: '[{"name":"ci","sha256":"abc","scopes":["read"]}]' }));

    expect(await running.exited).to.equal(2);
    expect(running.stderr()).to.contain('SRE_OPS_API_KEYS[0].sha256: expected the key\'s SHA-256 as 64 hex digits');
  });

  it('--insecure-no-auth starts, warns loudly on stderr and in the log, and serves reads without a key', async () => {
    running = spawnServer([...serverCommand(), '--insecure-no-auth'], env());
    const port = await running.listening;
    const r = await fetch(`http://127.0.0.1:${port}/v1/compliance`);
    running.kill('SIGTERM');

    expect(r.status).to.equal(200);
    expect(await running.exited).to.equal(0);
    expect(running.stderr()).to.contain('!!! INSECURE: --insecure-no-auth is set');
    expect(running.stdout()).to.match(/"level":"warn".*INSECURE/);
  });

  it('takes keys from --api-keys FILE', async () => {
    const file = join(home, 'keys.json');
    writeFileSync(file, KEYS_JSON);
    running = spawnServer([...serverCommand(), '--api-keys', file], env());
    const port = await running.listening;
    const r = await fetch(`http://127.0.0.1:${port}/v1/plan`, { headers: { 'x-api-key': KEY } });
    running.kill('SIGTERM');

    expect(r.status).to.equal(200);
    expect(await running.exited).to.equal(0);
  });

  it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', async () => {
    running = spawnServer(serverCommand(), env({ SRE_OPS_API_KEYS: KEYS_JSON }));
    const port = await running.listening;
    const body = JSON.stringify({ instances: ['dev-sandbox'], dryRun: true, reason: 'drain test' });
    // A request whose body arrives in two halves: it is in flight while the signal lands.
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/patch-runs', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': KEY } });
    const answer = new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
      });
    });
    req.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));

    running.kill('SIGTERM');
    await running.waitForLog('draining');
    const refused = await fetch(`http://127.0.0.1:${port}/health`).then(() => 'accepted', (e: Error) => (e.cause as { code?: string } | undefined)?.code ?? e.message);
    req.end(body.slice(10));
    const done = await answer;
    const code = await running.exited;

    expect(refused).to.equal('ECONNREFUSED');
    expect(done.status, done.text).to.equal(201);
    expect(done.connection).to.equal('close');
    expect(code).to.equal(0);
    expect(running.stdout()).to.match(/"inFlight":1,.*"msg":"draining"/);
    expect(running.stdout()).to.match(/"outcome":"drained".*"msg":"stopped"/);
  });

  it('a request still in flight at the drain deadline is cut off, and the process still exits 0', async () => {
    running = spawnServer(serverCommand(), env({ SRE_OPS_API_KEYS: KEYS_JSON, SRE_OPS_DRAIN_SECONDS: '1' }));
    const port = await running.listening;
    const stuck = new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/patch-runs', headers: { 'content-type': 'application/json', 'content-length': 1000, 'x-api-key': KEY } });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.on('response', (res) => resolve(`answered ${res.statusCode}`));
      req.write('{"instances":');
    });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();

    running.kill('SIGTERM');
    const code = await running.exited;

    expect(code).to.equal(0);
    expect(Date.now() - started).to.be.within(900, 10_000);
    expect(await stuck).to.equal('ECONNRESET');
    expect(running.stdout()).to.contain('requests still in flight after 1000 ms');
  });

  describe('sre-ops serve (the CLI service)', () => {
    before(function () {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
    });

    it('serves the API with the usual --source options and stops on SIGTERM with exit 0', async () => {
      const file = join(home, 'keys.json');
      writeFileSync(file, KEYS_JSON);
      running = spawnServer([process.execPath, CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--api-keys', file, '--source', `snapshot:${DEMO_FLEET}`, '--now', NOW], { HOME: home });
      const port = await running.listening;
      const r = await fetch(`http://127.0.0.1:${port}/v1/assets?limit=1`, { headers: { 'x-api-key': KEY } });
      running.kill('SIGTERM');

      expect(r.status).to.equal(200);
      expect(((await r.json()) as { generatedAt: string }).generatedAt).to.equal('2026-11-20T12:00:00.000Z');
      expect(await running.exited).to.equal(0);
      expect(running.stderr()).to.contain(`sre-ops serve: snapshot:${DEMO_FLEET} on http://127.0.0.1:${port} (1 API key(s) from ${file})`);
    });

    it('without keys it exits 2 with the same message; a bad --port is a usage error', async () => {
      running = spawnServer([process.execPath, CLI, 'serve', '--port', '0', '--source', `snapshot:${DEMO_FLEET}`], { HOME: home });
      const noKeys = await running.exited;
      const noKeysErr = running.stderr();
      running = spawnServer([process.execPath, CLI, 'serve', '--port', '70000', '--insecure-no-auth'], { HOME: home });
      const badPort = await running.exited;

      expect(noKeys).to.equal(2);
      expect(noKeysErr).to.contain('error: no API key configured');
      expect(badPort).to.equal(2);
      expect(running.stderr()).to.contain('--port: expected a whole number from 0 to 65535, got "70000"');
    });
  });
});
