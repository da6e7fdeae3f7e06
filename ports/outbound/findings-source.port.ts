import type { Finding } from '../../domain/fleet-facts.js';

export interface FindingsFilter {
  /** Only findings on these instances; all instances when absent. */
  readonly instanceIds?: readonly string[];
}

/**
 * Vulnerability findings (Inspector2 ListFindings, or a snapshot of it).
 * Yields ACTIVE findings on EC2 instances, streamed page by page so that a fleet of 100,000
 * findings is never held twice. Pagination, retries and mapping stay inside the adapter.
 * @throws SourceError when the findings cannot be read (a required source: no partial answer).
 */
export interface FindingsSource {
  listActiveFindings(filter?: FindingsFilter): AsyncIterable<Finding>;
}
