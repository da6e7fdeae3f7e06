/**
 * What changed between two recorded assessments: `since` (the newest assessment at or before a
 * point back from now, against the newest) or `between` (two ids or instants).
 */
import { ValidationError } from '../../../domain/errors.js';
import { alertsFrom } from '../../../domain/history/alerts.js';
import type { AssessmentHeader, AssessmentRecord } from '../../../domain/history/assessment-record.js';
import { compareAssessments } from '../../../domain/history/changes.js';
import { parseSince } from '../../../domain/history/look-back.js';
import { parseInstant, toIso } from '../../../domain/time.js';
import type { ChangesReport, ChangesRequest } from '../../inbound/history/history.port.js';
import type { HistoryDependencies } from './history-dependencies.js';
import { changeLists, refOf } from './history-records.mapper.js';

const EMPTY_COUNTS = { added: 0, resolved: 0, escalations: 0, deEscalations: 0, newlyOverdue: 0, dueSoon: 0, decisionsChanged: 0, acceptancesExpiring: 0 };
export const DEFAULT_SINCE = '24h';
const BETWEEN_EXPECTED = 'two recorded assessments: each an assessment id or an ISO instant';

export class WhatChanged {
  constructor(private readonly d: HistoryDependencies) {}

  async execute(request: ChangesRequest = {}): Promise<ChangesReport> {
    const now = this.d.core.clock.now();
    if (request.since !== undefined && request.between !== undefined) throw new ValidationError('between', 'either since or between', 'between: give either since or between, not both');
    const warnings: string[] = [];
    let pair: [AssessmentHeader, AssessmentHeader] | null;
    if (request.between !== undefined) {
      pair = await this.between(request.between);
    } else {
      const since = parseSince(request.since ?? DEFAULT_SINCE, now);
      pair = await this.since(since, now, warnings);
    }
    const policy = this.d.core.policy;
    const frame = { generatedAt: toIso(now) as string, dueSoonDays: policy.changes.dueSoonDays };
    if (pair === null) {
      const latest = (await this.d.history.listAssessments({ until: now, limit: 1 }))[0] ?? null;
      warnings.push(latest ? 'only one assessment is recorded in that period: nothing to compare it with yet' : 'no assessment is recorded yet: record one with `sre-ops assess --record` (the collector records each of its runs)');
      return {
        ...frame, from: null, to: latest ? refOf(latest) : null, counts: EMPTY_COUNTS, added: [], resolved: [], escalations: [], deEscalations: [], newlyOverdue: [], dueSoon: [],
        decisionsChanged: [], acceptancesExpiring: [], alerts: [], summary: latest?.summary ?? null, warnings,
      };
    }
    const [fromH, toH] = pair;
    const [before, after] = await Promise.all([this.read(fromH.id), this.read(toH.id)]);
    const changes = compareAssessments(before, after, { dueSoonDays: policy.changes.dueSoonDays });
    return {
      ...frame,
      from: refOf(fromH),
      to: refOf(toH),
      ...changeLists(changes, before, after),
      alerts: alertsFrom(changes, after.assets).map((a) => ({ key: a.key, kind: a.kind, text: a.text })),
      summary: toH.summary,
      warnings,
    };
  }

  private async read(id: string): Promise<AssessmentRecord> {
    const r = await this.d.history.getAssessment(id);
    // Pruned between the listing and the read.
    if (!r) throw new ValidationError('between', BETWEEN_EXPECTED, `between: assessment ${id} is no longer recorded (pruned after policy history.retentionDays)`);
    return r;
  }

  /** The newest at or before now, and the newest at or before `since` (else the oldest after it). */
  private async since(since: number, now: number, warnings: string[]): Promise<[AssessmentHeader, AssessmentHeader] | null> {
    const latest = (await this.d.history.listAssessments({ until: now, limit: 1 }))[0];
    if (!latest) return null;
    let base = (await this.d.history.listAssessments({ until: since, limit: 1 }))[0];
    if (!base) {
      const within = await this.d.history.listAssessments({ since, until: now });
      base = within[within.length - 1];
      if (base && base.id !== latest.id) warnings.push(`no assessment is recorded as early as ${toIso(since) ?? ''}: compared with the oldest recorded since then (${toIso(base.at) ?? ''})`);
    }
    if (!base || base.id === latest.id) return null;
    return [base, latest];
  }

  private async between(between: readonly [string, string]): Promise<[AssessmentHeader, AssessmentHeader]> {
    if (!Array.isArray(between) || between.length !== 2) throw new ValidationError('between', BETWEEN_EXPECTED, `between: expected ${BETWEEN_EXPECTED}`);
    const [a, b] = await Promise.all(between.map((x) => this.resolve(x)));
    if (!a || !b) throw new ValidationError('between', BETWEEN_EXPECTED, 'between: expected two values');
    // Earlier first, whichever order they were given in.
    return a.at <= b.at ? [a, b] : [b, a];
  }

  private async resolve(ref: string): Promise<AssessmentHeader> {
    const text = typeof ref === 'string' ? ref.trim() : '';
    if (!text) throw new ValidationError('between', BETWEEN_EXPECTED, `between: expected ${BETWEEN_EXPECTED}, got ${JSON.stringify(ref)}`);
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
      const at = parseInstant(text, 'between', { date: 'end-of-day' });
      const h = (await this.d.history.listAssessments({ until: at, limit: 1 }))[0];
      if (!h) throw new ValidationError('between', BETWEEN_EXPECTED, `between: no assessment is recorded at or before ${toIso(at) ?? text}`);
      return h;
    }
    const r = await this.d.history.getAssessment(text);
    if (!r) throw new ValidationError('between', BETWEEN_EXPECTED, `between: no recorded assessment has the id ${JSON.stringify(text)} (an id from \`sre-ops assess --record\`, or an ISO instant)`);
    const h = (await this.d.history.listAssessments({ since: r.at, until: r.at })).find((x) => x.id === text);
    if (!h) throw new ValidationError('between', BETWEEN_EXPECTED, `between: assessment ${text} is no longer recorded`);
    return h;
  }
}
