import { ValidationError } from '../../../domain/errors.js';
import { MIN_SEVERITIES } from '../../../domain/vocabulary.js';
import type { Severity } from '../../../domain/fleet-facts.js';
import type { CoreDependencies } from '../shared/core-dependencies.js';
import { AssessInstance } from './assess-instance.use-case.js';
import type { FindingsReport, MinSeverity } from '../../inbound/assessment/list-findings.port.js';

function rank(s: Severity): number {
  // UNTRIAGED and unknown severities rank with MEDIUM: neither hidden by a LOW filter nor
  // promoted above HIGH.
  const i = (MIN_SEVERITIES as readonly string[]).indexOf(s);
  return i === -1 ? 2 : i;
}

/** The active findings on one instance, highest risk first, optionally at or above a severity. */
export class ListFindings {
  private readonly assess: AssessInstance;
  constructor(deps: CoreDependencies) {
    this.assess = new AssessInstance(deps);
  }

  async execute(request: { instance: string; minSeverity?: string }): Promise<FindingsReport> {
    let min: MinSeverity | null = null;
    if (request.minSeverity !== undefined) {
      const up = request.minSeverity.toUpperCase();
      if (!(MIN_SEVERITIES as readonly string[]).includes(up)) {
        throw new ValidationError('minSeverity', `one of ${MIN_SEVERITIES.join(', ')}`, `min-severity: expected one of ${MIN_SEVERITIES.map((s) => s.toLowerCase()).join(', ')}, got "${request.minSeverity}"`);
      }
      min = up as MinSeverity;
    }
    const r = await this.assess.execute(request.instance);
    const all = r.asset.findings;
    const findings = min === null ? all : all.filter((f) => rank(f.severity) >= rank(min));
    return {
      generatedAt: r.generatedAt,
      asOf: r.asOf,
      source: r.source,
      instanceId: r.asset.instanceId,
      name: r.asset.name,
      minSeverity: min,
      findings,
      filteredOut: all.length - findings.length,
      warnings: r.warnings,
    };
  }
}
