import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSessionRevocations } from '../../../adapters/outbound/sqlite/sqlite-session-revocations.js';
import { consoleAssistant, FakeAlb, KEY_CONFIG, KEYS, SIGNER, startConsoleServer, type ConsoleServer } from './console-kit.js';
import { FakeClock, NOW } from './http-test-kit.js';

/** An error page: the envelope's code and message, a request id, and nothing of the internals. */
async function expectErrorPage(r: Response, status: number, code: string): Promise<string> {
  const text = await r.text();
  expect(r.status, text.slice(0, 400)).to.equal(status);
  expect(r.headers.get('content-type')).to.match(/^text\/html/);
  expect(text).to.include(`<strong>${code}</strong>`);
  expect(text).to.match(/Request id <code>[^<]+<\/code>/);
  expect(text, 'no stack trace').not.to.match(/\n\s+at |node:internal|\.js:\d+/);
  return text;
}

describe('console: authentication, sessions and CSRF', function () {
  this.timeout(30_000);
  let assistant: Assistant;
  let dispose: () => Promise<void>;
  let alb: FakeAlb;
  let api: ConsoleServer;

  before(async () => {
    ({ assistant, dispose } = await consoleAssistant());
    alb = new FakeAlb();
    await alb.start();
  });
  after(async () => {
    await alb.close();
    await dispose();
  });
  beforeEach(async () => (api = await startConsoleServer(assistant, { albKeyUrl: alb.url })));
  afterEach(() => api.close());

  it('without a session a page redirects to the login form, which sets a login nonce cookie and a CSRF field', async () => {
    const b = api.browser();
    const r = await b.get('/console/plan');
    expect(r.status).to.equal(303);
    expect(r.headers.get('location')).to.equal('/console/login?next=%2Fconsole%2Fplan');
    const login = await b.get('/console/login?next=/console/plan');
    const text = await login.text();
    expect(login.status).to.equal(200);
    expect(text).to.match(/name="csrf" value="[A-Za-z0-9_-]{43}"/);
    expect(text).to.include('name="next" value="/console/plan"');
    expect(b.lastSetCookies[0]).to.match(/^sre_ops_login=[^;]+; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=3600$/);
  });

  it('a login sets an HttpOnly, SameSite=Strict session cookie (no Secure over plain HTTP) and the pages open', async () => {
    const b = api.browser();
    const r = await b.login(KEYS.approver.key);
    expect(r.status).to.equal(303);
    expect(r.headers.get('location')).to.equal('/console');
    const session = b.lastSetCookies.find((c) => c.startsWith('sre_ops_session='));
    expect(session).to.match(/; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    expect(session).not.to.include(KEYS.approver.key);
    const page = await b.get('/console');
    const html = await page.text();
    expect(page.status).to.equal(200);
    expect(html).to.include('Signed in as <strong data-testid="who">alice</strong>');
  });

  it('the session cookie is Secure behind a trusted proxy that says https, and only then', async () => {
    const trusted = await startConsoleServer(assistant, { trustProxy: true });
    try {
      const b = trusted.browser({ 'x-forwarded-proto': 'https' });
      await b.login(KEYS.approver.key);
      expect(b.lastSetCookies.find((c) => c.startsWith('sre_ops_session='))).to.match(/; Secure$/);
    } finally {
      await trusted.close();
    }
    const untrusted = api.browser({ 'x-forwarded-proto': 'https' });
    await untrusted.login(KEYS.approver.key);
    expect(untrusted.lastSetCookies.find((c) => c.startsWith('sre_ops_session='))).not.to.include('Secure');
  });

  it('a wrong key answers the login form again with 401; a login without its CSRF token is refused', async () => {
    const b = api.browser();
    const csrf = await b.csrf('/console/login');
    const bad = await b.post('/console/login', { csrf, next: '/console', apiKey: 'not-a-key' });
    expect(bad.status).to.equal(401);
    expect(await bad.text()).to.include('Unknown API key.');
    expect(b.jar.has('sre_ops_session')).to.equal(false);

    const noCsrf = await b.post('/console/login', { next: '/console', apiKey: KEYS.approver.key });
    await expectErrorPage(noCsrf, 403, 'CSRF_FAILED');
    const otherNonce = api.browser();
    await otherNonce.get('/console/login');
    // A token from another browser's login form does not match this browser's nonce.
    const foreign = await otherNonce.post('/console/login', { csrf, next: '/console', apiKey: KEYS.approver.key });
    await expectErrorPage(foreign, 403, 'CSRF_FAILED');
  });

  it('a login never redirects off the console (next is checked)', async () => {
    const b = api.browser();
    const csrf = await b.csrf('/console/login');
    const r = await b.post('/console/login', { csrf, next: 'https://evil.example/console', apiKey: KEYS.approver.key });
    expect(r.headers.get('location')).to.equal('/console');
  });

  it('a forged, tampered or expired session is treated as none: back to the login page, cookie cleared', async () => {
    const b = api.browser();
    await b.login(KEYS.approver.key);
    const good = b.jar.get('sre_ops_session') as string;
    const [body, sig] = good.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, name: 'ops-bot' })).toString('base64url');
    for (const cookie of [`${forgedBody}.${sig}`, `${body}.${'A'.repeat(43)}`, 'garbage', `${body}`]) {
      const f = api.browser();
      f.jar.set('sre_ops_session', cookie);
      const r = await f.get('/console');
      expect(r.status, cookie).to.equal(303);
      expect(r.headers.get('location')).to.match(/^\/console\/login/);
      expect(f.jar.has('sre_ops_session'), 'cleared').to.equal(false);
      const post = await f.post('/console/runs', { instances: 'web-1' });
      await expectErrorPage(post, 401, 'UNAUTHORIZED');
    }
    api.clock.advance(8 * 3600_000 + 1);
    const expired = await b.get('/console');
    expect(expired.status).to.equal(303);
  });

  it('every POST needs the CSRF token of its own session', async () => {
    const a = api.browser();
    await a.login(KEYS.operator.key);
    const b = api.browser();
    await b.login(KEYS.approver.key);
    const aToken = await a.csrf('/console/runs');

    await expectErrorPage(await a.post('/console/runs', { instances: 'web-1' }), 403, 'CSRF_FAILED');
    await expectErrorPage(await b.post('/console/runs', { instances: 'web-1', csrf: aToken }), 403, 'CSRF_FAILED');
    const ok = await a.post('/console/runs', { instances: 'web-1', csrf: aToken });
    expect(ok.status).to.equal(303);
    expect(ok.headers.get('location')).to.match(/^\/console\/runs\/[^?]+\?done=requested$/);
  });

  it('a form over 16 KiB answers 413 and one that is not a form 415, as pages; HEAD answers like GET', async () => {
    const b = api.browser();
    await b.login(KEYS.operator.key);
    const csrf = await b.csrf('/console/runs');
    await expectErrorPage(await b.post('/console/runs', { csrf, instances: 'x'.repeat(17 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
    await expectErrorPage(await b.post('/console/runs', { csrf }, { 'content-type': 'application/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const head = await fetch(`${api.base}/console/plan`, { method: 'HEAD', headers: { cookie: `sre_ops_session=${b.jar.get('sre_ops_session')}` } });
    expect(head.status, 'HEAD is answered as GET, without a body').to.equal(200);
  });

  it('logout ends the session: the old cookie no longer opens a page', async () => {
    const b = api.browser();
    await b.login(KEYS.approver.key);
    const cookie = b.jar.get('sre_ops_session') as string;
    const csrf = await b.csrf('/console');
    const out = await b.post('/console/logout', { csrf });
    expect(out.status).to.equal(303);
    expect(out.headers.get('location')).to.equal('/console/login');
    expect(b.jar.has('sre_ops_session')).to.equal(false);
    const replay = api.browser();
    replay.jar.set('sre_ops_session', cookie);
    expect((await replay.get('/console')).status).to.equal(303);
  });

  it('logout on one task is honoured by every task: two servers on one SQLite state file', async () => {
    // Two tasks behind the load balancer: the same session secret, each its own connection to the shared state file.
    const dir = mkdtempSync(join(tmpdir(), 'sre-ops-console-tasks-'));
    const clock = new FakeClock();
    const stores = [0, 1].map(() => new SqliteSessionRevocations(join(dir, 'state.db'), () => clock.now()));
    const [one, two] = await Promise.all(stores.map((revocations) => startConsoleServer(assistant, { revocations, clock })));
    try {
      const b = one!.browser();
      expect((await b.login(KEYS.approver.key)).status).to.equal(303);
      const cookie = b.jar.get('sre_ops_session') as string;
      const onTwo = two!.browser();
      onTwo.jar.set('sre_ops_session', cookie);
      expect((await onTwo.get('/console')).status, 'the other task accepts the session').to.equal(200);
      // Another session of the same key stays open: only the one logged out ends.
      const other = two!.browser();
      expect((await other.login(KEYS.approver.key)).status).to.equal(303);

      expect((await b.post('/console/logout', { csrf: await b.csrf('/console') })).status).to.equal(303);
      const refused = await onTwo.get('/console');
      expect(refused.status, 'the other task refuses the logged-out session').to.equal(303);
      expect(refused.headers.get('location')).to.match(/^\/console\/login/);
      const post = two!.browser();
      post.jar.set('sre_ops_session', cookie);
      expect((await post.post('/console/runs', { csrf: 'x', instances: 'web-1' })).status, 'a POST too').to.equal(401);
      expect((await other.get('/console')).status, 'the other session is still open').to.equal(200);

      // The record lasts as long as the session would have: past its expiry the signature refuses it anyway.
      expect(await stores[1]!.isRevoked(JSON.parse(Buffer.from(cookie.split('.')[0] as string, 'base64url').toString()).nonce)).to.equal(true);
      clock.advance(8 * 3_600_000);
      expect(await stores[1]!.isRevoked(JSON.parse(Buffer.from(cookie.split('.')[0] as string, 'base64url').toString()).nonce), 'expired with the session').to.equal(false);
      expect((await onTwo.get('/console')).status).to.equal(303);
    } finally {
      await Promise.all([one?.close(), two?.close()]);
      for (const s of stores) s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a session ends when its key is no longer configured', async () => {
    const b = api.browser();
    await b.login(KEYS.approver.key);
    const cookie = b.jar.get('sre_ops_session') as string;
    // The same secret, but a server whose key list lacks alice: her session names a key that is gone.
    const other = await startConsoleServer(assistant, { keys: KEY_CONFIG.filter((k) => k.name !== 'alice') });
    try {
      const keyless = other.browser();
      keyless.jar.set('sre_ops_session', cookie);
      expect((await keyless.get('/console')).status).to.equal(303);
      expect((await b.get('/console')).status, 'still valid where the key is configured').to.equal(200);
    } finally {
      await other.close();
    }
  });

  describe('ALB OIDC identity (x-amzn-oidc-data)', () => {
    it('a token the ALB signed names the person; the policy gives the roles', async () => {
      const b = api.browser({ 'x-amzn-oidc-data': alb.token({ email: 'carol@example.com', name: 'Carol' }) });
      const r = await b.get('/console/runs');
      const text = await r.text();
      expect(r.status, text.slice(0, 300)).to.equal(200);
      expect(text).to.include('Signed in as <strong data-testid="who">Carol</strong>');
      expect(text).to.include('(approver)');
      expect(text, 'no logout for an ALB identity').not.to.include('/console/logout');
      expect(alb.fetched).to.include('/keys/key-1');
    });

    it('the login page sends a person the load balancer signed in to the console; a bad token there is a 401 page too', async () => {
      const b = api.browser({ 'x-amzn-oidc-data': alb.token({ email: 'carol@example.com' }) });
      const r = await b.get('/console/login');
      expect(r.status).to.equal(303);
      expect(r.headers.get('location')).to.equal('/console');
      const forged = api.browser({ 'x-amzn-oidc-data': alb.token({ email: 'carol@example.com' }, { expSeconds: 1 }) });
      await expectErrorPage(await forged.get('/console/login'), 401, 'UNAUTHORIZED');
    });

    it('an unnamed identity gets the policy\'s others roles (viewer): it sees, it cannot request', async () => {
      const b = api.browser({ 'x-amzn-oidc-data': alb.token({ email: 'eve@example.com' }) });
      expect((await b.get('/console')).status).to.equal(200);
      const csrf = await b.csrf('/console/instances/web-1').catch(() => null);
      expect(csrf, 'a viewer gets no request form').to.equal(null);
    });

    it('the identity\'s CSRF token is required for its POSTs', async () => {
      const b = api.browser({ 'x-amzn-oidc-data': alb.token({ email: 'dave@example.com' }) });
      const csrf = await b.csrf('/console/runs');
      await expectErrorPage(await b.post('/console/runs', { instances: 'web-1' }), 403, 'CSRF_FAILED');
      expect((await b.post('/console/runs', { instances: 'web-1', csrf })).status).to.equal(303);
    });

    it('a bad signature, another signer, an expired token, alg none or a kid without a key: 401 page, never the fleet', async () => {
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const nowS = Math.floor(Date.parse(NOW) / 1000);
      const good = alb.token({ email: 'carol@example.com' });
      const [h, p] = good.split('.');
      const cases: [string, string, RegExp][] = [
        ['signed by another key', alb.token({ email: 'carol@example.com' }, { signWith: stranger }), /signature does not verify/],
        ['payload swapped', `${h}.${Buffer.from(JSON.stringify({ email: 'admin@example.com', exp: nowS + 60 })).toString('base64url')}.${good.split('.')[2]}`, /signature does not verify/],
        ['another load balancer', alb.token({ email: 'carol@example.com' }, { signer: SIGNER.replace('0123456789abcdef', 'fedcba9876543210') }), /another load balancer/],
        ['expired', alb.token({ email: 'carol@example.com' }, { expSeconds: nowS - 1 }), /expired/],
        ['alg none', `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'key-1', signer: SIGNER })).toString('base64url')}.${p}.`, /not a JWT|alg/],
        ['HS256', alb.token({ email: 'carol@example.com' }, { alg: 'HS256' }), /alg/],
        ['unknown kid', alb.token({ email: 'carol@example.com' }, { kid: 'nope', signWith: stranger }), /could not be fetched/],
        ['not a JWT', 'hello', /not a JWT/],
      ];
      for (const [what, token, why] of cases) {
        const b = api.browser({ 'x-amzn-oidc-data': token });
        const text = await expectErrorPage(await b.get('/console'), 401, 'UNAUTHORIZED');
        expect(text, what).to.match(why);
        expect(text, what).not.to.include('data-testid="assets"');
      }
    });

    it('without a configured signer the header is ignored: no identity from it', async () => {
      const plain = await startConsoleServer(assistant);
      try {
        const b = plain.browser({ 'x-amzn-oidc-data': alb.token({ email: 'carol@example.com' }) });
        expect((await b.get('/console')).status).to.equal(303);
      } finally {
        await plain.close();
      }
    });
  });

  it('with --insecure-no-auth the console reads as anonymous and changes nothing', async () => {
    const open = await startConsoleServer(assistant, { insecureNoAuth: true });
    try {
      const b = open.browser();
      const r = await b.get('/console');
      expect(r.status).to.equal(200);
      expect(await r.text()).to.include('data-testid="who">anonymous<');
      await expectErrorPage(await b.post('/console/runs', { instances: 'web-1', csrf: 'x' }), 403, 'CSRF_FAILED');
    } finally {
      await open.close();
    }
  });
});
