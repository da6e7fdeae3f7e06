import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SourceError } from '../../../domain/errors.js';
import type { ExploitedCatalogSource, LoadedCatalog } from '../../../ports/outbound/exploited-catalog.port.js';
import { decodeJsonBytes, describeValue, mapKevCatalog, parseJsonText, ShapeError } from '../aws-shapes/index.js';

const SERVICE = 'kev';

/**
 * The CISA KEV catalog from a local JSON file (the feed's own format, as downloaded from
 * cisa.gov). Read once; the promise is cached, so concurrent callers share one read.
 * A file that is missing, empty, a directory, not JSON or not a KEV catalog is a SourceError
 * naming the file and what is wrong, and the catalog is `required`: a catalog that was asked for
 * and cannot be read must not silently become "nothing is exploited".
 */
export class FileKevCatalog implements ExploitedCatalogSource {
  /** The file, resolved to an absolute path. */
  readonly path: string;
  readonly required = true;
  private loaded: Promise<LoadedCatalog> | null = null;

  /**
   * @param bytes the file's content when the caller has read it already from a handle it checked
   *   (a snapshot's kev.json): the file is then not opened again by its path.
   */
  constructor(path: string, private readonly bytes: Buffer | null = null) {
    this.path = resolve(path);
  }

  load(): Promise<LoadedCatalog> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<LoadedCatalog> {
    let bytes: Buffer;
    try {
      bytes = this.bytes ?? (await readFile(this.path));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
      throw new SourceError(SERVICE, null, `cannot read the KEV catalog ${this.path}: ${why}`, {
        cause: e,
        code: code === 'ENOENT' ? 'SOURCE_MISSING' : 'SOURCE_FAILED',
      });
    }
    const text = decodeJsonBytes(bytes);
    if (text.trim() === '') throw new SourceError(SERVICE, null, `cannot read the KEV catalog ${this.path}: the file is empty`, { code: 'SOURCE_FAILED' });
    const json = parseJsonText(text, this.path, SERVICE);
    if (typeof json !== 'object' || json === null || !Array.isArray((json as { vulnerabilities?: unknown }).vulnerabilities)) {
      throw new SourceError(
        SERVICE,
        null,
        `${this.path} is not a CISA KEV catalog: expected an object with a "vulnerabilities" array (known_exploited_vulnerabilities.json from cisa.gov), found ${
          Array.isArray(json) ? describeValue(json) : typeof json === 'object' && json !== null ? 'an object without one' : describeValue(json)}`,
        { code: 'SOURCE_SHAPE' },
      );
    }
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
