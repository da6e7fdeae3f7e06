/**
 * What the console specs share: the demo fleet with a policy naming OIDC identities, a console
 * server on loopback (fake clock), a cookie jar, form posts, and an ALB stand-in that signs
 * x-amzn-oidc-data with a locally generated P-256 key and serves its public key on loopback.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiKeyConfig } from '../../../adapters/inbound/http/api-keys.js';
import { AlbOidcVerifier } from '../../../adapters/inbound/http/console/alb-oidc.js';
import { SessionSigner } from '../../../adapters/inbound/http/console/sessions.js';
import { MemorySessionRevocations } from '../../../adapters/outbound/memory/memory-session-revocations.js';
import type { SessionRevocations } from '../../../ports/outbound/session-revocations.port.js';
import { createAssistant } from '../../../composition/index.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { DEMO_FLEET } from '../../support/paths.js';
import { FakeClock, KEY_CONFIG, KEYS, NOW, startTestServer, type TestServer } from './http-test-kit.js';

export const SIGNER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/sre-ops/0123456789abcdef';

/** The demo fleet, with carol (approver) and dave (operator) named in the policy as OIDC identities. */
export async function consoleAssistant(): Promise<{ assistant: Assistant; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sre-ops-console-'));
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({ access: { actors: { 'carol@example.com': ['approver'], 'dave@example.com': ['operator'] } } }));
  const assistant = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW, policyFile: policy, stateStore: { kind: 'sqlite', path: join(dir, 'state.db') } });
  return {
    assistant,
    dispose: async () => {
      await assistant.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The ALB's side: a key pair per kid, its public keys served as PEM on loopback, and tokens signed with them. */
export class FakeAlb {
  readonly keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
  readonly fetched: string[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.fetched.push(req.url ?? '');
      const kid = decodeURIComponent((req.url ?? '').replace(/^\/keys\//, ''));
      const pair = this.keys.get(kid);
      if (!pair) {
        res.writeHead(404).end('no such key');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(pair.publicKey.export({ type: 'spki', format: 'pem' }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/keys/{kid}`;
  }

  key(kid: string): KeyObject {
    let pair = this.keys.get(kid);
    if (!pair) this.keys.set(kid, (pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })));
    return pair.privateKey;
  }

  /** A token as the ALB makes it: base64url segments with padding, ES256 in IEEE P1363 form. */
  token(claims: Record<string, unknown>, options: { kid?: string; signer?: string; alg?: string; signWith?: KeyObject; expSeconds?: number } = {}): string {
    const kid = options.kid ?? 'key-1';
    const privateKey = options.signWith ?? this.key(kid);
    const exp = options.expSeconds ?? Math.floor(Date.parse(NOW) / 1000) + 120;
    const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const header = enc({ alg: options.alg ?? 'ES256', kid, signer: options.signer ?? SIGNER, iss: 'https://idp.example.com', client: 'sre-ops', exp });
    const payload = enc({ sub: 'u-1', exp, iss: 'https://idp.example.com', ...claims });
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A browser-like client: keeps cookies, posts forms, never follows redirects. */
export class Browser {
  readonly jar = new Map<string, string>();
  lastSetCookies: string[] = [];
  constructor(readonly base: string, private readonly headers: Record<string, string> = {}) {}

  private store(r: Response): void {
    this.lastSetCookies = r.headers.getSetCookie();
    for (const c of this.lastSetCookies) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/Max-Age=0/i.test(c) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    return this.jar.size ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const r = await fetch(this.base + path, { redirect: 'manual', headers: { ...this.headers, ...this.cookieHeader(), ...headers } });
    this.store(r);
    return r;
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const r = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.headers, ...this.cookieHeader(), ...headers },
      body: new URLSearchParams(form).toString(),
    });
    this.store(r);
    return r;
  }

  /** The CSRF token of the page at `path` (its first form). */
  async csrf(path: string): Promise<string> {
    const text = await (await this.get(path)).text();
    const m = /name="csrf" value="([^"]+)"/.exec(text);
    if (!m?.[1]) throw new Error(`no CSRF field on ${path}: ${text.slice(0, 300)}`);
    return m[1];
  }

  /** Logs in with an API key through the form. */
  async login(key: string): Promise<Response> {
    const csrf = await this.csrf('/console/login');
    return this.post('/console/login', { csrf, next: '/console', apiKey: key });
  }
}

export interface ConsoleServer extends TestServer {
  readonly clock: FakeClock;
  readonly sessions: SessionSigner;
  browser(headers?: Record<string, string>): Browser;
}

/** The app with the console on (sessions on a fake clock; ALB OIDC when a key URL is given). */
export async function startConsoleServer(assistant: Assistant, options: { albKeyUrl?: string; trustProxy?: boolean; insecureNoAuth?: boolean; keys?: readonly ApiKeyConfig[]; revocations?: SessionRevocations; clock?: FakeClock } = {}): Promise<ConsoleServer> {
  const clock = options.clock ?? new FakeClock();
  const sessions = new SessionSigner(Buffer.alloc(32, 7), clock, options.revocations ?? new MemorySessionRevocations(() => clock.now()));
  const server = await startTestServer({
    assistant,
    clock,
    cache: false,
    ...(options.trustProxy ? { trustProxy: true } : {}),
    ...(options.keys ? { keys: options.keys } : {}),
    ...(options.insecureNoAuth ? { insecureNoAuth: true, keys: [] } : {}),
    console: { sessions, ...(options.albKeyUrl ? { alb: new AlbOidcVerifier({ signerArn: SIGNER, keyUrl: options.albKeyUrl, clock }) } : {}) },
  });
  return { ...server, clock, sessions, browser: (headers) => new Browser(server.base, headers) };
}

export { KEY_CONFIG, KEYS };
