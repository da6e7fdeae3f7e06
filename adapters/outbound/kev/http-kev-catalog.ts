import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SourceError } from '../../../domain/errors.js';
import type { ExploitedCatalog } from '../../../domain/fleet-facts.js';
import { DAY_MS, HOUR_MS } from '../../../domain/time.js';
import type { Instant } from '../../../domain/time.js';
import type { ExploitedCatalogSource, LoadedCatalog } from '../../../ports/outbound/exploited-catalog.port.js';
import { decodeJsonBytes, mapKevCatalog, parseJsonText } from '../aws-shapes/index.js';

/** CISA's published feed. */
export const CISA_KEV_URL = 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';

const SERVICE = 'kev';

/** Where the feed and its cache are, and how fresh the cache must be. */
export interface HttpKevCatalogOptions {
  /** The cache file (the feed as downloaded); its validators go in `<cachePath>.meta.json`. */
  readonly cachePath: string;
  /** Default: the CISA feed. */
  readonly url?: string;
  /** A cached copy last confirmed by the server longer ago than this is used with a warning. Default 7 days. */
  readonly maxAgeMs?: number;
  /** Within this long of the last confirmation the cache is used without asking the server. Default 1 hour. */
  readonly revalidateAfterMs?: number;
  /** Whole request, body included. Default 15 s. */
  readonly timeoutMs?: number;
  readonly now?: () => Instant;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** `<cachePath>.meta.json`: where the cached copy came from and how to revalidate it. */
interface CacheMeta {
  readonly url: string;
  /** When the body was downloaded. */
  readonly fetchedAt: string;
  /** When the server last confirmed it (a 200 or a 304). */
  readonly checkedAt: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

interface Cached {
  readonly text: string;
  readonly catalog: ExploitedCatalog;
  readonly meta: CacheMeta;
}

interface Loaded extends LoadedCatalog {
  readonly text: string;
}

/**
 * The CISA KEV catalog from a URL, cached on disk. A refresh is a conditional request
 * (If-None-Match / If-Modified-Since): a 304 keeps the cache. With the feed unreachable the cached
 * copy is used with a warning (and a second one when it is older than the max age); with neither
 * feed nor cache, loading fails with a SourceError rather than silently meaning "nothing is
 * exploited". Loaded once per instance.
 */
export class HttpKevCatalog implements ExploitedCatalogSource {
  readonly url: string;
  readonly cachePath: string;
  private readonly metaPath: string;
  private readonly maxAgeMs: number;
  private readonly revalidateAfterMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => Instant;
  private readonly fetch: typeof fetch;
  private loaded: Promise<Loaded> | null = null;
  private loadedAt = 0;

  constructor(options: HttpKevCatalogOptions) {
    this.url = options.url ?? CISA_KEV_URL;
    this.cachePath = resolve(options.cachePath);
    this.metaPath = `${this.cachePath}.meta.json`;
    this.maxAgeMs = options.maxAgeMs ?? 7 * DAY_MS;
    this.revalidateAfterMs = options.revalidateAfterMs ?? HOUR_MS;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** @throws SourceError (kev, GET) when the feed is unreachable or invalid and nothing is cached. */
  async load(): Promise<LoadedCatalog> {
    const { catalog, origin, warnings } = await this.loadOnce();
    return { catalog, origin, warnings };
  }

  /** The feed's JSON text as loaded (for a snapshot's kev.json). */
  async feedText(): Promise<string> {
    return (await this.loadOnce()).text;
  }

  /**
   * One load, shared by the calls of one revalidation period: a long-lived catalog (a warm
   * collector Lambda, the service) checks the feed again (conditionally, with its ETag) once the
   * period has passed, so a KEV addition reaches the next assessment within the hour.
   */
  private loadOnce(): Promise<Loaded> {
    if (this.loaded !== null && this.now() - this.loadedAt >= this.revalidateAfterMs) this.loaded = null;
    if (this.loaded === null) {
      this.loadedAt = this.now();
      this.loaded = this.refresh();
    }
    return this.loaded;
  }

  private async refresh(): Promise<Loaded> {
    const cached = await this.readCache();
    const now = this.now();
    if (cached !== null && now - Date.parse(cached.meta.checkedAt) < this.revalidateAfterMs) return this.fromCache(cached, []);

    let response: Response;
    let text: string;
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (cached !== null && cached.meta.etag !== null) headers['if-none-match'] = cached.meta.etag;
      if (cached !== null && cached.meta.lastModified !== null) headers['if-modified-since'] = cached.meta.lastModified;
      response = await this.fetch(this.url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
      if (response.status === 304 && cached !== null) {
        const meta = { ...cached.meta, checkedAt: new Date(now).toISOString() };
        return this.fromCache({ ...cached, meta }, await this.persist([[this.metaPath, JSON.stringify(meta, null, 2)]]));
      }
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      text = decodeJsonBytes(new Uint8Array(await response.arrayBuffer()));
    } catch (e) {
      return this.fallBack(cached, `the KEV feed ${this.url} is unreachable (${describeFailure(e, this.timeoutMs)})`, e);
    }

    let catalog: ExploitedCatalog;
    try {
      catalog = mapKevCatalog(parseJsonText(text, this.url, SERVICE), '$');
    } catch (e) {
      // A broken download must not replace a good cache.
      return this.fallBack(cached, `the KEV feed ${this.url} sent an invalid catalog (${(e as Error).message})`, e);
    }
    const stamp = new Date(now).toISOString();
    const meta: CacheMeta = {
      url: this.url,
      fetchedAt: stamp,
      checkedAt: stamp,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
    };
    // Body first, then the validators: a crash between the two leaves validators of the older
    // body, which only costs a full download next time.
    const warnings = await this.persist([
      [this.cachePath, text],
      [this.metaPath, JSON.stringify(meta, null, 2)],
    ]);
    return { catalog, text, origin: this.describe(meta, catalog), warnings };
  }

  private fallBack(cached: Cached | null, problem: string, cause: unknown): Loaded {
    if (cached === null) {
      throw new SourceError(SERVICE, 'GET', `${problem}, and there is no cached copy at ${this.cachePath}`, { cause, code: 'KEV_UNAVAILABLE' });
    }
    return this.fromCache(cached, [`${problem}; using the cached copy fetched ${cached.meta.fetchedAt}`]);
  }

  private fromCache(cached: Cached, warnings: string[]): Loaded {
    const age = this.now() - Date.parse(cached.meta.checkedAt);
    if (age > this.maxAgeMs) {
      warnings.push(
        `the cached KEV catalog was last confirmed ${Math.floor(age / DAY_MS)} days ago (${cached.meta.checkedAt}), ` +
          `more than the ${Math.round(this.maxAgeMs / DAY_MS)} days allowed: newly exploited CVEs may be missing`,
      );
    }
    return { catalog: cached.catalog, text: cached.text, origin: this.describe(cached.meta, cached.catalog), warnings };
  }

  private describe(meta: CacheMeta, catalog: ExploitedCatalog): string {
    const version = catalog.catalogVersion === null ? '' : `version ${catalog.catalogVersion}, `;
    return `${meta.url} (KEV catalog ${version}${catalog.entries.size} entries, fetched ${meta.fetchedAt}, cached at ${this.cachePath})`;
  }

  // A cache that is missing, unreadable or from another URL is no cache: the feed decides.
  private async readCache(): Promise<Cached | null> {
    try {
      const meta = JSON.parse(await readFile(this.metaPath, 'utf8')) as CacheMeta;
      if (meta.url !== this.url || Number.isNaN(Date.parse(meta.checkedAt))) return null;
      const text = decodeJsonBytes(await readFile(this.cachePath));
      return { text, meta, catalog: mapKevCatalog(JSON.parse(text), '$') };
    } catch {
      return null;
    }
  }

  // Writes each file atomically (temp file, then rename). A cache that cannot be written (a
  // read-only home) costs the next run a download, not this run its catalog: a warning.
  private async persist(files: readonly (readonly [string, string])[]): Promise<string[]> {
    try {
      for (const [path, text] of files) {
        await mkdir(dirname(path), { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, path);
      }
      return [];
    } catch (e) {
      return [`cannot write the KEV cache ${this.cachePath}: ${(e as Error).message}`];
    }
  }
}

function describeFailure(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}
