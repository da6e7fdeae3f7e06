/** Builders of recorded assessments for the history's tests. */
import type { AssessmentRecord, RecordedAsset, RecordedFinding } from '../domain/history/assessment-record.js';
import { DAY_MS } from '../domain/time.js';
import { T0 } from './builders.js';

export function aRecordedAsset(over: Partial<RecordedAsset> = {}): RecordedAsset {
  return { instanceId: 'i-0001', name: 'web-1', decision: 'next-window', riskScore: 42.5, exposed: false, ...over };
}

export function aRecordedFinding(over: Partial<RecordedFinding> = {}): RecordedFinding {
  return {
    instanceId: 'i-0001', advisoryId: 'CVE-2026-0001', severity: 'HIGH', ssvc: 'attend', timeline: '14 days', dueBy: T0 + 10 * DAY_MS,
    inKev: false, fixAvailable: 'YES', firstObservedAt: T0 - 4 * DAY_MS, acceptance: null, ...over,
  };
}

export function aRecord(over: Partial<AssessmentRecord> = {}): AssessmentRecord {
  return { id: 'a-1', at: T0, source: 'demo', origin: 'cli', assets: [aRecordedAsset()], findings: [aRecordedFinding()], ...over };
}

/** A deterministic fleet of `n` findings over n/20 instances (a linear congruential generator, no Math.random). */
export function aLargeRecord(n: number, over: Partial<AssessmentRecord> = {}, seed = 7): AssessmentRecord {
  let x = seed;
  const next = (m: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % m;
  };
  const instances = Math.max(1, Math.ceil(n / 20));
  const assets: RecordedAsset[] = [];
  for (let i = 0; i < instances; i++) {
    assets.push(aRecordedAsset({ instanceId: `i-${(0x1000000 + i).toString(16)}abcdef01`, name: `host-${i}`, decision: (['patch-now', 'next-window', 'routine', 'none'] as const)[next(4)], riskScore: next(1000) / 10, exposed: next(5) === 0 }));
  }
  const ssvc = ['act', 'attend', 'track*', 'track'] as const;
  const timelines = ['3 days', '14 days', '60 days', 'fix on system upgrade'] as const;
  const findings: RecordedFinding[] = [];
  for (let k = 0; k < n; k++) {
    const a = assets[k % instances] as RecordedAsset;
    const o = next(4);
    findings.push(aRecordedFinding({
      instanceId: a.instanceId,
      advisoryId: `CVE-20${20 + next(7)}-${10000 + next(40000)}-${k}`,
      severity: (['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const)[next(4)],
      ssvc: ssvc[o],
      timeline: timelines[o] ?? null,
      dueBy: T0 + (next(120) - 30) * DAY_MS + next(1440) * 60_000,
      inKev: next(20) === 0,
      fixAvailable: next(3) === 0 ? 'NO' : 'YES',
      firstObservedAt: T0 - next(200) * DAY_MS - next(1440) * 60_000,
      acceptance: next(50) === 0 ? { id: `acc-${next(100)}`, until: T0 + next(30) * DAY_MS } : null,
    }));
  }
  return aRecord({ assets, findings, ...over });
}
