/**
 * The compact form of a recorded assessment: columns instead of objects, every repeated string
 * (instance ids, advisory ids, severities) once in a dictionary, enumerations as their index,
 * instants as minutes from the assessment's own instant, findings sorted by asset and advisory.
 * Plain JSON text, which the stores compress (gzip): similar columns sit together, so the
 * compressor finds the repeats. `decodeRecord(encodeRecord(r))` equals `r` up to the order of
 * the findings and instants rounded to the minute.
 */
import type { FixAvailable, Severity } from '../fleet-facts.js';
import { DECISION_KINDS, SSVC_OUTCOMES, TIMELINES } from '../vocabulary.js';
import { HISTORY_ORIGINS, type AssessmentRecord, type RecordedAsset, type RecordedFinding } from './assessment-record.js';

export const RECORD_FORMAT = 1;

const FIX: readonly FixAvailable[] = ['YES', 'NO', 'PARTIAL'];
const MINUTE = 60_000;

interface Columns {
  readonly v: number;
  readonly id: string;
  readonly at: number;
  readonly source: string;
  readonly origin: number;
  /** Dictionary of strings the columns point into. */
  readonly s: string[];
  /** Assets: identity (dictionary index of instance id, account, region; -1 none), name, decision, score x10, exposed. */
  readonly a: { i: number[]; ac: number[]; rg: number[]; n: number[]; d: number[]; sc: number[]; x: number[] };
  /** Findings: asset index (delta from the previous), advisory, severity, ssvc, timeline, due, kev, fix, first seen, acceptance. */
  readonly f: { a: number[]; v: number[]; sv: number[]; o: number[]; t: number[]; due: (number | null)[]; k: number[]; fx: number[]; fs: (number | null)[]; ac: number[] };
  /** Acceptances: dictionary index of id, until (minutes from at, or null). */
  readonly ac: { i: number[]; u: (number | null)[] };
}

class Dictionary {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string | null | undefined): number {
    if (s === null || s === undefined) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const rel = (t: number | null, at: number): number | null => (t === null ? null : Math.round((t - at) / MINUTE));
const abs = (m: number | null, at: number): number | null => (m === null ? null : at + m * MINUTE);

function assetIdentity(a: { instanceId: string; accountId?: string | null; region?: string | null }): string {
  return `${a.accountId ?? ''}\u0000${a.region ?? ''}\u0000${a.instanceId}`;
}

export function encodeRecord(r: AssessmentRecord): string {
  const dict = new Dictionary();
  const assets: Columns['a'] = { i: [], ac: [], rg: [], n: [], d: [], sc: [], x: [] };
  const assetIndex = new Map<string, number>();
  const addAsset = (a: RecordedAsset | RecordedFinding, full: RecordedAsset | null): number => {
    const key = assetIdentity(a);
    let i = assetIndex.get(key);
    if (i !== undefined) return i;
    i = assets.i.length;
    assetIndex.set(key, i);
    assets.i.push(dict.of(a.instanceId));
    assets.ac.push(dict.of(a.accountId));
    assets.rg.push(dict.of(a.region));
    // An asset known only from a finding (none today) keeps -1: no decision recorded.
    assets.n.push(dict.of(full?.name));
    assets.d.push(full ? DECISION_KINDS.indexOf(full.decision) : -1);
    assets.sc.push(full ? Math.round(full.riskScore * 10) : 0);
    assets.x.push(full?.exposed ? 1 : 0);
    return i;
  };
  for (const a of r.assets) addAsset(a, a);
  const findings = r.findings
    .map((f) => ({ f, a: addAsset(f, null) }))
    .sort((x, y) => x.a - y.a || (x.f.advisoryId < y.f.advisoryId ? -1 : x.f.advisoryId > y.f.advisoryId ? 1 : 0));
  const f: Columns['f'] = { a: [], v: [], sv: [], o: [], t: [], due: [], k: [], fx: [], fs: [], ac: [] };
  const ac: Columns['ac'] = { i: [], u: [] };
  let prev = 0;
  for (const { f: x, a } of findings) {
    f.a.push(a - prev);
    prev = a;
    f.v.push(dict.of(x.advisoryId));
    f.sv.push(dict.of(x.severity));
    f.o.push(SSVC_OUTCOMES.indexOf(x.ssvc));
    f.t.push(x.timeline === null ? -1 : TIMELINES.indexOf(x.timeline));
    f.due.push(rel(x.dueBy, r.at));
    f.k.push(x.inKev ? 1 : 0);
    f.fx.push(FIX.indexOf(x.fixAvailable));
    f.fs.push(rel(x.firstObservedAt, r.at));
    if (x.acceptance) {
      f.ac.push(ac.i.length);
      ac.i.push(dict.of(x.acceptance.id));
      ac.u.push(rel(x.acceptance.until, r.at));
    } else f.ac.push(-1);
  }
  const columns: Columns = { v: RECORD_FORMAT, id: r.id, at: r.at, source: r.source, origin: HISTORY_ORIGINS.indexOf(r.origin), s: dict.list, a: assets, f, ac };
  return JSON.stringify(columns);
}

/** @throws Error when the text is not a record of this format (a damaged or foreign row). */
export function decodeRecord(text: string): AssessmentRecord {
  const c = JSON.parse(text) as Columns;
  if (c.v !== RECORD_FORMAT) throw new Error(`recorded assessment: format ${String(c.v)} is not understood (expected ${RECORD_FORMAT})`);
  const str = (i: number | undefined): string | null => (i === undefined || i < 0 ? null : (c.s[i] ?? null));
  const identity = (i: number): { instanceId: string; accountId?: string; region?: string } => {
    const account = str(c.a.ac[i]);
    const region = str(c.a.rg[i]);
    return { instanceId: str(c.a.i[i]) ?? '', ...(account !== null ? { accountId: account } : {}), ...(region !== null ? { region } : {}) };
  };
  const identities = c.a.i.map((_, i) => identity(i));
  const assets: RecordedAsset[] = [];
  c.a.i.forEach((_, i) => {
    const d = c.a.d[i] ?? -1;
    if (d < 0) return;
    assets.push({ ...identities[i], instanceId: identities[i]?.instanceId ?? '', name: str(c.a.n[i]), decision: DECISION_KINDS[d] ?? 'none', riskScore: (c.a.sc[i] ?? 0) / 10, exposed: c.a.x[i] === 1 });
  });
  const findings: RecordedFinding[] = [];
  let a = 0;
  for (let k = 0; k < c.f.a.length; k++) {
    a += c.f.a[k] ?? 0;
    const t = c.f.t[k] ?? -1;
    const acc = c.f.ac[k] ?? -1;
    const id = identities[a];
    findings.push({
      instanceId: id?.instanceId ?? '',
      ...(id?.accountId !== undefined ? { accountId: id.accountId } : {}),
      ...(id?.region !== undefined ? { region: id.region } : {}),
      advisoryId: str(c.f.v[k]) ?? '',
      severity: (str(c.f.sv[k]) ?? 'UNTRIAGED') as Severity,
      ssvc: SSVC_OUTCOMES[c.f.o[k] ?? 3] ?? 'track',
      timeline: t < 0 ? null : (TIMELINES[t] ?? null),
      dueBy: abs(c.f.due[k] ?? null, c.at),
      inKev: c.f.k[k] === 1,
      fixAvailable: FIX[c.f.fx[k] ?? 1] ?? 'NO',
      firstObservedAt: abs(c.f.fs[k] ?? null, c.at),
      acceptance: acc < 0 ? null : { id: str(c.ac.i[acc]) ?? '', until: abs(c.ac.u[acc] ?? null, c.at) },
    });
  }
  return { id: c.id, at: c.at, source: c.source, origin: HISTORY_ORIGINS[c.origin] ?? 'library', assets, findings };
}
