import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SourceError } from '../../../domain/errors.js';
import type { ExploitedCatalogSource, LoadedCatalog } from '../../../ports/outbound/exploited-catalog.port.js';
import { decodeJsonBytes, mapKevCatalog, parseJsonText, ShapeError } from '../aws-shapes/index.js';

const SERVICE = 'kev';

/**
 * The CISA KEV catalog from a local JSON file (the feed's own format, as downloaded from
 * cisa.gov). Read once; the promise is cached, so concurrent callers share one read.
 * A missing or malformed file is a SourceError: a catalog that was asked for and cannot be read
 * must not silently become "nothing is exploited".
 */
export class FileKevCatalog implements ExploitedCatalogSource {
  /** The file, resolved to an absolute path. */
  readonly path: string;
  private loaded: Promise<LoadedCatalog> | null = null;

  constructor(path: string) {
    this.path = resolve(path);
  }

  load(): Promise<LoadedCatalog> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<LoadedCatalog> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'the file does not exist' : (e as Error).message;
      throw new SourceError(SERVICE, null, `cannot read the KEV catalog ${this.path}: ${why}`, {
        cause: e,
        code: code === 'ENOENT' ? 'SOURCE_MISSING' : 'SOURCE_FAILED',
      });
    }
    const json = parseJsonText(decodeJsonBytes(bytes), this.path, SERVICE);
    try {
      const catalog = mapKevCatalog(json, '$');
      const version = catalog.catalogVersion === null ? '' : ` version ${catalog.catalogVersion}`;
      return { catalog, origin: `${this.path} (KEV catalog${version}, ${catalog.entries.size} entries)`, warnings: [] };
    } catch (e) {
      if (e instanceof ShapeError) throw e.inFile(SERVICE, this.path);
      throw e;
    }
  }
}
