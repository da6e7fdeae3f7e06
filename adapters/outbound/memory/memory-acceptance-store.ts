import type { RiskAcceptance } from '../../../domain/fleet-facts.js';
import type { AcceptanceStore } from '../../../ports/outbound/acceptance-store.port.js';

/** Acceptances held in memory: the default until a durable state store is configured. */
export class MemoryAcceptanceStore implements AcceptanceStore {
  private readonly items: RiskAcceptance[];
  constructor(initial: readonly RiskAcceptance[] = []) {
    this.items = [...initial];
  }
  async listAcceptances(): Promise<readonly RiskAcceptance[]> {
    return [...this.items];
  }
  add(a: RiskAcceptance): void {
    this.items.push(a);
  }
}
