import type { RiskAcceptance } from '../../domain/fleet-facts.js';

/**
 * Risk acceptances read by the reports. The durable state store (patch issue) implements this;
 * until then an empty or in-memory one is used.
 */
export interface AcceptanceStore {
  listAcceptances(): Promise<readonly RiskAcceptance[]>;
}
