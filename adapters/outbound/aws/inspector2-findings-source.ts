import { ListFindingsCommand } from '@aws-sdk/client-inspector2';
import type { FilterCriteria, Inspector2Client } from '@aws-sdk/client-inspector2';
import type { Finding } from '../../../domain/fleet-facts.js';
import type { FindingsFilter, FindingsSource } from '../../../ports/outbound/findings-source.port.js';
import { EC2_RESOURCE_TYPE, mapFinding } from '../aws-shapes/index.js';
import { callAws } from './aws-errors.js';
import { chunk } from './resilience.js';

/** ListFindings' largest page. */
export const MAX_FINDINGS_PAGE = 100;
/** Values one Inspector2 string filter (here resourceId) accepts. */
export const MAX_FILTER_VALUES = 10;

/** Options of Inspector2FindingsSource. */
export interface Inspector2FindingsOptions {
  /** maxResults per ListFindings call; default 100, the API's maximum. */
  readonly pageSize?: number;
  /**
   * Most filtered queries (of 10 instance ids each) before reading every finding instead and
   * keeping those of the wanted instances: past this, the per-batch calls (at least one each)
   * cost more than paging through the fleet. Default 10, i.e. up to 100 instances.
   */
  readonly maxFilteredQueries?: number;
  /**
   * Only findings of these accounts (awsAccountId), for the delegated administrator, which sees
   * every member's findings. Sent as a filter when there are at most 10 (the filter's limit),
   * and always checked here.
   */
  readonly accountIds?: readonly string[];
}

/** One finding as ListFindings returned it, beside its mapping. */
export interface RawFinding {
  readonly raw: unknown;
  readonly finding: Finding;
}

/**
 * Inspector2 ListFindings: ACTIVE findings on EC2 instances, every page, streamed one page at a
 * time so that a fleet of 100,000 findings is never held in memory.
 */
export class Inspector2FindingsSource implements FindingsSource {
  private readonly pageSize: number;
  private readonly maxFilteredQueries: number;
  private readonly accounts: ReadonlySet<string> | null;

  constructor(
    private readonly client: Inspector2Client,
    options: Inspector2FindingsOptions = {},
  ) {
    this.pageSize = options.pageSize ?? MAX_FINDINGS_PAGE;
    this.maxFilteredQueries = options.maxFilteredQueries ?? 10;
    this.accounts = options.accountIds === undefined ? null : new Set(options.accountIds);
  }

  /** @throws SourceError (inspector2, ListFindings, AWS code) when a page cannot be read. */
  async *listActiveFindings(filter: FindingsFilter = {}): AsyncGenerator<Finding> {
    for await (const page of this.pages(filter)) for (const item of page) yield item.finding;
  }

  /**
   * The same findings page by page, each with the raw entry AWS returned (for the snapshot
   * capture, which writes raw shapes). Only one page is held at a time.
   */
  async *pages(filter: FindingsFilter = {}): AsyncGenerator<readonly RawFinding[]> {
    const ids = filter.instanceIds === undefined ? null : [...new Set(filter.instanceIds)];
    if (ids !== null && ids.length === 0) return;
    const batches = ids === null ? [] : chunk(ids, MAX_FILTER_VALUES);
    const filtered = ids !== null && batches.length <= this.maxFilteredQueries;
    // Past the threshold, or with no filter, one unfiltered listing; the wanted set is then applied here.
    const wanted = ids === null ? null : new Set(ids);
    const accountFilter = this.accounts !== null && this.accounts.size <= MAX_FILTER_VALUES ? [...this.accounts] : null;
    const queries: FilterCriteria[] = filtered
      ? batches.map((batch) => criteria(batch, accountFilter))
      : [criteria(null, accountFilter)];
    for (const query of queries) {
      let nextToken: string | undefined;
      do {
        const response = await callAws('inspector2', 'ListFindings', () =>
          this.client.send(new ListFindingsCommand({ filterCriteria: query, maxResults: this.pageSize, nextToken })),
        );
        const raw = response.findings ?? [];
        const page: RawFinding[] = [];
        for (let i = 0; i < raw.length; i++) {
          const finding = mapFinding(raw[i], `$.findings[${i}]`);
          // The service filters already; checking again costs nothing and keeps the port's
          // promise with endpoints that ignore filters (moto) or add resource types.
          if (finding === null || finding.status !== 'ACTIVE') continue;
          if (wanted !== null && !wanted.has(finding.instanceId)) continue;
          if (this.accounts !== null && !this.accounts.has(accountOf(raw[i]))) continue;
          page.push({ raw: raw[i], finding });
        }
        nextToken = response.nextToken;
        if (page.length > 0) yield page;
      } while (nextToken);
    }
  }
}

/** The account a finding belongs to (its awsAccountId); "" when absent. */
export function accountOf(raw: unknown): string {
  const id = (raw as { awsAccountId?: unknown } | null)?.awsAccountId;
  return typeof id === 'string' ? id : '';
}

function criteria(instanceIds: readonly string[] | null, accountIds: readonly string[] | null): FilterCriteria {
  return {
    ...(accountIds === null ? {} : { awsAccountId: accountIds.map((value) => ({ comparison: 'EQUALS' as const, value })) }),
    findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    resourceType: [{ comparison: 'EQUALS', value: EC2_RESOURCE_TYPE }],
    ...(instanceIds === null ? {} : { resourceId: instanceIds.map((value) => ({ comparison: 'EQUALS' as const, value })) }),
  };
}
