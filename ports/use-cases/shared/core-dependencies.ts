/** The outbound ports and settings the use cases are built from (one bundle, bound once). */
import type { Policy } from '../../../domain/policy.js';
import type { AcceptanceStore } from '../../outbound/acceptance-store.port.js';
import type { ActivityLog } from '../../outbound/activity-log.port.js';
import type { AssetInventory } from '../../outbound/asset-inventory.port.js';
import type { Clock } from '../../outbound/clock.port.js';
import type { ExploitedCatalogSource } from '../../outbound/exploited-catalog.port.js';
import type { FindingsSource } from '../../outbound/findings-source.port.js';
import type { MetricsSource } from '../../outbound/metrics-source.port.js';
import type { PatchCompliance } from '../../outbound/patch-compliance.port.js';
import type { SourceInfo } from '../../outbound/source-info.port.js';

export interface CoreDependencies {
  readonly findings: FindingsSource;
  readonly assets: AssetInventory;
  readonly compliance: PatchCompliance;
  readonly metrics: MetricsSource;
  readonly activity: ActivityLog;
  readonly catalog: ExploitedCatalogSource;
  readonly acceptances: AcceptanceStore;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly source: SourceInfo;
}
