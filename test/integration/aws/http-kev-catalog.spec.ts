import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpKevCatalog } from '../../../adapters/outbound/kev/http-kev-catalog.js';
import { SourceError } from '../../../domain/errors.js';
import { DAY_MS, HOUR_MS } from '../../../domain/time.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ETAG = '"kev-2026.11.19"';
const LAST_MODIFIED = 'Wed, 19 Nov 2026 17:00:00 GMT';

function feed(cves: readonly string[], version = '2026.11.19'): string {
  return JSON.stringify({
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: version,
    dateReleased: '2026-11-19T17:00:00.000Z',
    count: cves.length,
    vulnerabilities: cves.map((cveID) => ({
      cveID, vendorProject: 'OpenBSD', product: 'OpenSSH', vulnerabilityName: 'regreSSHion', dateAdded: '2026-11-01', dueDate: '2026-11-22',
      knownRansomwareCampaignUse: 'Unknown',
    })),
  });
}

/** A loopback server playing the CISA feed: 304 when the validators match, else the body. */
class FeedServer {
  readonly requests: IncomingHttpHeaders[] = [];
  body = feed(['CVE-2024-6387']);
  /** Overrides the answer (an error status, a hang). */
  answer: ((res: ServerResponse) => void) | null = null;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push(req.headers);
      if (this.answer !== null) return this.answer(res);
      if (req.headers['if-none-match'] === ETAG) return void res.writeHead(304, { etag: ETAG }).end();
      res.writeHead(200, { 'content-type': 'application/json', etag: ETAG, 'last-modified': LAST_MODIFIED }).end(this.body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/feeds/known_exploited_vulnerabilities.json`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe('HttpKevCatalog (a loopback server plays the CISA feed)', () => {
  let dir = '';
  let cachePath = '';
  let server: FeedServer;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sre-ops-kev-'));
    cachePath = join(dir, 'cache', 'kev.json');
    server = new FeedServer();
    await server.start();
  });
  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const catalogAt = (now: number, over: Partial<ConstructorParameters<typeof HttpKevCatalog>[0]> = {}): HttpKevCatalog =>
    new HttpKevCatalog({ url: server.url, cachePath, now: () => now, ...over });

  /** Fills the cache as a successful download at `at` would. */
  async function primeCache(at: number): Promise<void> {
    await catalogAt(at).load();
    server.requests.length = 0;
  }

  it('a long-lived catalog (a warm collector) checks the feed again each hour, with its ETag, and sees an addition', async () => {
    let now = NOW;
    const catalog = new HttpKevCatalog({ url: server.url, cachePath, now: () => now });
    expect((await catalog.load()).catalog.entries.has('CVE-2025-0001')).to.equal(false);

    now += 30 * 60_000;
    await catalog.load();
    expect(server.requests).to.have.length(1);

    now += 31 * 60_000;
    await catalog.load();
    expect(server.requests).to.have.length(2);
    expect(server.requests[1]?.['if-none-match']).to.equal(ETAG);

    server.body = feed(['CVE-2024-6387', 'CVE-2025-0001'], '2026.11.20');
    server.answer = (res) => void res.writeHead(200, { 'content-type': 'application/json', etag: '"kev-2026.11.20"' }).end(server.body);
    now += 61 * 60_000;
    expect((await catalog.load()).catalog.entries.has('CVE-2025-0001')).to.equal(true);
  });

  it('downloads the feed when nothing is cached and caches it with its validators', async () => {
    const loaded = await catalogAt(NOW).load();

    expect([...loaded.catalog.entries.keys()]).to.deep.equal(['CVE-2024-6387']);
    expect(loaded.warnings).to.deep.equal([]);
    expect(loaded.origin).to.contain(server.url).and.contain('version 2026.11.19');
    expect(await readFile(cachePath, 'utf8')).to.equal(server.body);
    expect(JSON.parse(await readFile(`${cachePath}.meta.json`, 'utf8'))).to.deep.include({
      url: server.url, fetchedAt: '2026-11-20T12:00:00.000Z', etag: ETAG, lastModified: LAST_MODIFIED,
    });
    expect(server.requests[0]?.['if-none-match']).to.equal(undefined);
  });

  it('revalidates with If-None-Match and If-Modified-Since, and a 304 keeps the cache', async () => {
    await primeCache(NOW - 2 * DAY_MS);
    server.body = feed(['CVE-2099-0001']);

    const loaded = await catalogAt(NOW).load();

    expect(server.requests).to.have.length(1);
    expect(server.requests[0]).to.include({ 'if-none-match': ETAG, 'if-modified-since': LAST_MODIFIED });
    expect([...loaded.catalog.entries.keys()]).to.deep.equal(['CVE-2024-6387']);
    expect(loaded.warnings).to.deep.equal([]);
    const meta = JSON.parse(await readFile(`${cachePath}.meta.json`, 'utf8')) as { checkedAt: string; fetchedAt: string };
    expect(meta).to.include({ checkedAt: '2026-11-20T12:00:00.000Z', fetchedAt: '2026-11-18T12:00:00.000Z' });
  });

  it('replaces the cache when the feed changed', async () => {
    await primeCache(NOW - 2 * DAY_MS);
    server.answer = (res) => res.writeHead(200, { etag: '"new"' }).end(feed(['CVE-2099-0001'], '2026.11.20'));

    const loaded = await catalogAt(NOW).load();

    expect([...loaded.catalog.entries.keys()]).to.deep.equal(['CVE-2099-0001']);
    expect(JSON.parse(await readFile(cachePath, 'utf8'))).to.include({ catalogVersion: '2026.11.20' });
  });

  it('does not ask the server again within the revalidation interval', async () => {
    await primeCache(NOW - 10 * 60_000);

    const loaded = await catalogAt(NOW, { revalidateAfterMs: HOUR_MS }).load();

    expect(server.requests).to.have.length(0);
    expect(loaded.catalog.entries.size).to.equal(1);
  });

  it('falls back to the cached copy with a warning when the feed is unreachable', async () => {
    await primeCache(NOW - 2 * HOUR_MS);
    await server.stop();

    const loaded = await catalogAt(NOW).load();

    expect(loaded.catalog.entries.has('CVE-2024-6387')).to.equal(true);
    expect(loaded.warnings).to.have.length(1);
    expect(loaded.warnings[0]).to.match(/^the KEV feed http:\/\/127\.0\.0\.1:\d+\/\S+ is unreachable \(ECONNREFUSED\); using the cached copy fetched 2026-11-20T10:00:00.000Z$/);
  });

  it('warns that the cached copy is older than the max age', async () => {
    await primeCache(NOW - 10 * DAY_MS);
    server.answer = (res) => res.writeHead(503).end('maintenance');

    const loaded = await catalogAt(NOW, { maxAgeMs: 7 * DAY_MS }).load();

    expect(loaded.catalog.entries.size).to.equal(1);
    expect(loaded.warnings).to.have.length(2);
    expect(loaded.warnings[0]).to.contain('(HTTP 503)');
    expect(loaded.warnings[1]).to.match(/^the cached KEV catalog was last confirmed 10 days ago .* more than the 7 days allowed/);
  });

  it('gives up on a feed that does not answer within the timeout', async () => {
    await primeCache(NOW - 2 * HOUR_MS);
    server.answer = () => undefined;

    const loaded = await catalogAt(NOW, { timeoutMs: 200 }).load();

    expect(loaded.warnings[0]).to.contain('(no answer within 200 ms)');
    expect(loaded.catalog.entries.size).to.equal(1);
  });

  it('keeps a good cache when the feed sends something that is not a catalog', async () => {
    await primeCache(NOW - 2 * DAY_MS);
    const before = await readFile(cachePath, 'utf8');
    server.answer = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');

    const loaded = await catalogAt(NOW).load();

    expect(loaded.warnings[0]).to.contain('sent an invalid catalog');
    expect(loaded.catalog.entries.size).to.equal(1);
    expect(await readFile(cachePath, 'utf8')).to.equal(before);
  });

  it('fails with a clear SourceError when the feed is unreachable and nothing is cached', async () => {
    await server.stop();

    const error = await catalogAt(NOW).load().then(() => null, (e: unknown) => e);

    expect(error).to.be.instanceOf(SourceError);
    expect(error).to.include({ service: 'kev', code: 'KEV_UNAVAILABLE' });
    expect((error as Error).message).to.contain('is unreachable (ECONNREFUSED), and there is no cached copy at').and.contain(cachePath);
  });

  it('ignores a cache written for another URL', async () => {
    await primeCache(NOW - 10 * 60_000);
    const meta = JSON.parse(await readFile(`${cachePath}.meta.json`, 'utf8')) as Record<string, unknown>;
    await writeFile(`${cachePath}.meta.json`, JSON.stringify({ ...meta, url: 'https://example.invalid/other.json' }));

    await catalogAt(NOW).load();

    expect(server.requests).to.have.length(1);
    expect(server.requests[0]?.['if-none-match']).to.equal(undefined);
  });

  it('hands out the feed text for a snapshot, loading once', async () => {
    const catalog = catalogAt(NOW);

    const [text] = await Promise.all([catalog.feedText(), catalog.load()]);

    expect(text).to.equal(server.body);
    expect(server.requests).to.have.length(1);
  });
});
