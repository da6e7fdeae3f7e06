import type { ChangeEvent } from '../inputs.js';
import type { Policy } from '../policy.js';
import type { ActivitySummary } from './types.js';

/** Flags the events worth a look (root, sensitive call, error, unknown network), newest first. */
export function reviewActivity(events: readonly ChangeEvent[], policy: Policy): ActivitySummary {
  void events; void policy;
  throw new Error('TODO');
}
