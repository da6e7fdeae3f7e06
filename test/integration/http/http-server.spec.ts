import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../adapters/inbound/http/api-keys.js';
import { CLI, DEMO_FLEET } from '../../support/paths.js';
import { NOW } from './http-test-kit.js';
import { serverCommand, spawnServer, type ServerProcess } from './server-process.js';

const KEY = 'k-process-test-0123456789';

/**
 * Resolves once the server has read the request's headers: it answers `Expect: 100-continue`
 * with an interim 100 when it starts the request, so the request is then in flight there.
 */
function serverHasRequest(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => req.once('continue', () => resolve()));
}

/** Sends raw bytes on a fresh connection and resolves with everything the server answers. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve(text)).on('error', reject);
  });
}

/** The status, headers (lower-case names) and JSON body of one raw HTTP/1.1 answer. */
function parseRaw(text: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : null };
}
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
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/patch-runs', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': KEY, expect: '100-continue' } });
    const answer = new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
      });
    });
    req.write(body.slice(0, 10));
    await serverHasRequest(req);

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
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/patch-runs', headers: { 'content-type': 'application/json', 'content-length': 1000, 'x-api-key': KEY, expect: '100-continue' } });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.on('response', (res) => resolve(`answered ${res.statusCode}`));
      req.write('{"instances":');
      void serverHasRequest(req).then(() => running!.kill('SIGTERM'));
    });

    const code = await running.exited;

    // Cut off by the deadline, not answered: the log says which, and the client sees the reset.
    expect(code).to.equal(0);
    expect(await stuck).to.equal('ECONNRESET');
    expect(running.stdout()).to.match(/"inFlight":1,.*"msg":"draining"/);
    expect(running.stdout()).to.contain('requests still in flight after 1000 ms');
    expect(running.stdout()).to.match(/"outcome":"timeout".*"msg":"stopped"/);
  });

  it('on SIGTERM answers every request already sent, on 40 fresh connections, then refuses new connections and exits 0', async () => {
    running = spawnServer(serverCommand(), env({ SRE_OPS_API_KEYS: KEYS_JSON }));
    const port = await running.listening;
    const sockets: Socket[] = [];
    const answers: Promise<string>[] = [];
    // 40 connections, each sending a whole request (handed to the kernel) before the signal.
    await Promise.all(Array.from({ length: 40 }, () => new Promise<void>((sent, failed) => {
      const socket = connect(port, '127.0.0.1');
      sockets.push(socket);
      let text = '';
      answers.push(new Promise((resolve) => {
        socket.setEncoding('utf8').on('data', (d: string) => (text += d));
        socket.on('close', () => resolve(text));
        socket.on('error', (e: NodeJS.ErrnoException) => (text += `[${e.code ?? e.message}]`));
      }));
      socket.once('error', failed);
      socket.once('connect', () => socket.write(`GET /v1/plan HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${KEY}\r\n\r\n`, () => sent()));
    })));

    running.kill('SIGTERM');
    await running.waitForLog('draining');
    const refused = await new Promise<string>((resolve) => {
      const late = connect(port, '127.0.0.1');
      late.once('connect', () => (late.destroy(), resolve('accepted')));
      late.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    const texts = await Promise.all(answers);
    const code = await running.exited;

    const statuses = texts.map((t) => t.split(' ')[1] ?? t);
    expect(statuses.filter((st) => st === '200'), `answers: ${statuses.join(', ')}`).to.have.length(40);
    expect(texts.every((t) => /\r\nconnection: close\r\n/i.test(t))).to.equal(true);
    expect(refused).to.equal('ECONNREFUSED');
    expect(code).to.equal(0);
  });

  it('--insecure-no-auth listens on 127.0.0.1 even when HOST says 0.0.0.0, and says so', async () => {
    running = spawnServer([...serverCommand(), '--insecure-no-auth'], env({ HOST: '0.0.0.0' }));
    const listening = await running.waitForLog('listening');
    running.kill('SIGTERM');

    expect(listening.host).to.equal('127.0.0.1');
    expect(await running.exited).to.equal(0);
    expect(running.stderr()).to.contain('listening on 127.0.0.1 only (--host ADDRESS overrides)');
    expect(running.stdout()).to.match(/"level":"warn".*INSECURE.*listening on 127\.0\.0\.1 only/);
  });

  it('--insecure-no-auth with an explicit --host listens there, and warns on every start', async () => {
    running = spawnServer([...serverCommand(), '--insecure-no-auth', '--host', '0.0.0.0'], env());
    const listening = await running.waitForLog('listening');
    running.kill('SIGTERM');

    expect(listening.host).to.equal('0.0.0.0');
    expect(await running.exited).to.equal(0);
    expect(running.stderr()).to.contain('!!! INSECURE: --insecure-no-auth is set').and.contain('listening on 0.0.0.0, beyond this machine');
  });

  it('a malformed request line and oversized headers get the error envelope and the security headers (400, 431)', async () => {
    running = spawnServer(serverCommand(), env({ SRE_OPS_API_KEYS: KEYS_JSON }));
    const port = await running.listening;

    const bad = parseRaw(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n'));
    const big = parseRaw(await rawExchange(port, `GET /health HTTP/1.1\r\nHost: x\r\nx-filler: ${'a'.repeat(20_000)}\r\n\r\n`));
    running.kill('SIGTERM');
    await running.exited;

    expect(bad.status).to.equal(400);
    expect(bad.body).to.deep.include({ error: { code: 'BAD_REQUEST', message: 'the request is not valid HTTP/1.1', requestId: bad.headers['x-request-id'] } });
    expect(big.status).to.equal(431);
    expect((big.body as { error: { code: string } }).error.code).to.equal('HEADERS_TOO_LARGE');
    for (const r of [bad, big]) {
      expect(r.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(r.headers['x-content-type-options']).to.equal('nosniff');
      expect(r.headers['content-security-policy']).to.equal("default-src 'none'; frame-ancestors 'none'");
      expect(r.headers.connection).to.equal('close');
    }
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
