/**
 * Runs moto_server on a free loopback port for integration tests and the call-count benchmark:
 * `const moto = useMoto()` in a describe block starts it before the block, resets it before each
 * test and stops it after; `startMoto()` does the same by hand.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Region and account moto uses when a seeding call names none. */
export const MOTO_REGION = 'us-east-1';
export const MOTO_ACCOUNT = '123456789012';
/** moto accepts any signature; these keep the SDK from searching for real credentials. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

export interface MotoServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly endpoint: string;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** POSTs JSON to one of moto's own endpoints, e.g. /moto-api/static/inspector2/findings-results. */
  post(path: string, body: unknown): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `moto_server -H 127.0.0.1 -p PORT` and waits until it answers.
 * @throws Error with moto's stderr when it does not answer within `timeoutMs`.
 */
export async function startMoto(timeoutMs = 90_000): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    // Keep the tail only: moto logs every request.
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const post = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`moto ${path}: HTTP ${response.status}: ${await response.text()}`);
  };
  const stop = async (): Promise<void> => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await gone;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`moto_server exited before answering:\n${stderr}`);
    try {
      await post('/moto-api/reset', {});
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { endpoint, reset: () => post('/moto-api/reset', {}), post, stop };
}

/**
 * Mocha hooks for a describe block: moto starts before the block (once per file, it takes a
 * couple of seconds), is reset before each test, and stops after the block. Read `endpoint`
 * inside tests and hooks, not at describe time.
 */
export function useMoto(): { readonly endpoint: string; readonly server: MotoServer } {
  let server: MotoServer | null = null;
  before(async function () {
    // moto_server is a Python process: on a loaded machine, with specs in parallel, it can take
    // well over the few seconds it needs on a quiet one.
    this.timeout(100_000);
    server = await startMoto();
  });
  beforeEach(async () => {
    await server?.reset();
  });
  after(async () => {
    await server?.stop();
  });
  return {
    get endpoint(): string {
      if (server === null) throw new Error('moto is not started yet: read endpoint inside a test or hook');
      return server.endpoint;
    },
    get server(): MotoServer {
      if (server === null) throw new Error('moto is not started yet');
      return server;
    },
  };
}
