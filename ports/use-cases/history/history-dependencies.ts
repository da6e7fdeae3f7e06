/** What the history use cases are built from. */
import type { HistoryStore } from '../../outbound/history-store.port.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';

export interface HistoryDependencies {
  readonly core: CoreDependencies;
  readonly history: HistoryStore;
  /** A new unique id for a recorded assessment. */
  readonly newId: () => string;
}
