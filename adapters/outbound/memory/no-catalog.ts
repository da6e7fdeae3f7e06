import type { ExploitedCatalogSource, LoadedCatalog } from '../../../ports/outbound/exploited-catalog.port.js';

/** No KEV catalog configured: exploitation rests on Inspector's own evidence. */
export class NoExploitedCatalog implements ExploitedCatalogSource {
  async load(): Promise<LoadedCatalog | null> {
    return null;
  }
}
