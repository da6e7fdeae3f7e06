import type { Asset } from '../../domain/fleet-facts.js';

/**
 * What an organization-scope read could not read (an account that denied the role, a disabled
 * region): asked after the reads. The rest of the answer stands, marked partial.
 */
export interface ScopeGaps {
  /** Some account or region could not be read: the report is partial (the warnings name them). */
  readonly partial: boolean;
  /** The asset's findings could not be read in full: it is left out, not shown as clean. */
  readonly unreadable: (asset: Asset) => boolean;
  /** The asset's SSM state could not be read: its managed state is unknown, not "unmanaged". */
  readonly managedUnknown: (asset: Asset) => boolean;
}

/**
 * Which instant the reports are assessed as of: `option` (--now, or `now` in the library options),
 * `capturedAt` (the snapshot's snapshot.json), `lastObservedAt` (a snapshot without a capture
 * time: the newest lastObservedAt among its findings), `clock` (the current time).
 */
export type InstantBasis = 'option' | 'capturedAt' | 'lastObservedAt' | 'clock';

export const INSTANT_BASES: readonly InstantBasis[] = ['option', 'capturedAt', 'lastObservedAt', 'clock'];

/** Describes the data source in reports: "demo", "snapshot:/path", "aws:eu-west-1". */
export interface SourceInfo {
  readonly label: string;
  /** Notes the source wants every report to carry (e.g. "demo fleet: not real data"). */
  readonly notes: readonly string[];
  /**
   * Problems found in the data read so far, e.g. a capture file cut short by the AWS CLI. A report
   * adds them after its reads, so it carries those of the files it used.
   */
  readonly warnings?: () => readonly string[];
  /** What a read of several accounts and regions could not read; absent for one account and region. */
  readonly gaps?: () => ScopeGaps;
  /** Where the reports' instant comes from; absent means the clock. */
  readonly asOf?: InstantBasis;
  /**
   * The AWS account and region the source reads (a live account: STS and the configured region;
   * a snapshot: its snapshot.json), null where unknown. Runs record it per instance.
   */
  readonly scope?: () => Promise<SourceScope>;
}

export interface SourceScope {
  readonly accountId: string | null;
  readonly region: string | null;
}
