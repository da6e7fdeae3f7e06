/**
 * When one instance gets patched: the quietest hours of its week by CPU history, before its due
 * date and outside freeze windows, else the policy's default window. All of it in UTC.
 */
import type { MetricPoint } from '../fleet-facts.js';
import type { FreezeWindow, Policy, WeeklyWindow } from '../policy.js';
import { DAY_MS, HOUR_MS, parseInstant } from '../time.js';
import type { Instant } from '../time.js';
import type { PatchWindow } from './plan-model.js';
import type { PatchedDecision } from './decision.js';

export const WEEK_MS = 7 * DAY_MS;
export const SLOTS_PER_WEEK = 168;
/** 1970-01-04T00:00Z, the epoch's first Sunday: hour-of-week slots count from Sunday 00:00 UTC. */
const FIRST_SUNDAY = 3 * DAY_MS;
/** Below three days of hourly points most slots of the week are unseen, so "quietest" means little. */
const MIN_HISTORY_HOURS = 72;
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** What the window choice needs to know about one instance. */
export interface WindowRequest {
  readonly decision: PatchedDecision;
  readonly dueBy: Instant | null;
  /** CPUUtilization points of any period (they are averaged per hour); undefined: no history. */
  readonly cpu: readonly MetricPoint[] | undefined;
  /** patch-now only because a finding is overdue (the findings alone said next-window or routine). */
  readonly escalated?: boolean;
}

/** Why the policy's default window was used instead of one from CPU history. */
export type WindowFallback = 'no-history' | 'little-history' | 'nothing-fits';

/** The chosen window, with what shaped it (for the plan's notes). */
export interface WindowChoice {
  readonly window: PatchWindow;
  /** Milliseconds the window ends after dueBy; null when in time or without a due date. */
  readonly lateBy: number | null;
  readonly fallback: WindowFallback | null;
  /** Freeze windows that made a quieter window (or the default's next occurrence) unusable. */
  readonly avoidedFreezes: readonly FreezeWindow[];
  /** The freeze a patch-now went ahead in, as an emergency. */
  readonly overriddenFreeze: FreezeWindow | null;
}

/** Mean CPU per hour-of-week slot over the history window. */
export interface CpuProfile {
  /** 168 entries, 0 = Sunday 00:00–01:00 UTC; null where the history has no point. */
  readonly slots: readonly (number | null)[];
  /** Distinct clock hours with data in the history window. */
  readonly hours: number;
}

interface Interval {
  readonly start: Instant;
  readonly end: Instant;
}

interface Freeze extends Interval {
  readonly freeze: FreezeWindow;
}

interface Candidate extends Interval {
  readonly slot: number;
  readonly meanCpu: number;
}

/** The hour-of-week slot (0 = Sunday 00:00 UTC .. 167 = Saturday 23:00 UTC) an instant falls in. */
export function slotOf(t: Instant): number {
  return Math.floor(offsetInWeek(t) / HOUR_MS);
}

/** The first start of `slot` at or after `from`. */
export function nextOccurrence(slot: number, from: Instant): Instant {
  const t = from - offsetInWeek(from) + slot * HOUR_MS;
  return t >= from ? t : t + WEEK_MS;
}

/**
 * Averages CPU points to hourly means, then each hour-of-week slot over the `historyDays` days
 * before `now`. Hourly first, so a 1-minute series does not outweigh a 1-hour one in the same slot.
 */
export function weeklyCpuProfile(cpu: readonly MetricPoint[], now: Instant, historyDays: number): CpuProfile {
  const from = now - historyDays * DAY_MS;
  const hourly = new Map<number, { sum: number; n: number }>();
  for (const p of cpu) {
    if (!(p.t >= from && p.t < now) || !Number.isFinite(p.v)) continue;
    const hour = Math.floor(p.t / HOUR_MS);
    const bucket = hourly.get(hour) ?? { sum: 0, n: 0 };
    bucket.sum += p.v;
    bucket.n += 1;
    hourly.set(hour, bucket);
  }
  const sums = new Array<number>(SLOTS_PER_WEEK).fill(0);
  const counts = new Array<number>(SLOTS_PER_WEEK).fill(0);
  for (const [hour, { sum, n }] of hourly) {
    const slot = slotOf(hour * HOUR_MS);
    sums[slot] = (sums[slot] ?? 0) + sum / n;
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return { slots: sums.map((s, i) => (counts[i] ? s / (counts[i] ?? 1) : null)), hours: hourly.size };
}

/**
 * Chooses the patch window of one instance (docs/patching.md).
 *
 * - patch-now starts at `now`, even in a freeze (the emergency overrides it; `why` says so).
 * - patch-now only because a finding is overdue (`escalated`): the quietest window that starts
 *   within ESCALATION_HOURS of `now` and overlaps no freeze (the sooner on equal CPU); without
 *   CPU history or such a window, at once.
 * - Otherwise every run of `policy.patchWindow.durationHours` consecutive hour-of-week slots with
 *   CPU history (wrapping from Saturday to Sunday) is a candidate, ranked by mean CPU, then by
 *   the sooner start. The quietest candidate whose next occurrence starts before dueBy and
 *   overlaps no freeze wins; one that also ends by dueBy is preferred to one that ends late.
 * - With fewer than 3 days of hourly points (or fewer than all `historyDays`, when shorter), or
 *   when no candidate fits, the next occurrence of `policy.patchWindow.default` outside freezes is
 *   used.
 * - `lateBy` is set whenever the window ends after dueBy.
 */
export function choosePatchWindow(request: WindowRequest, now: Instant, policy: Policy): WindowChoice {
  const freezes = policy.freezeWindows.map(toFreeze);
  const { dueBy } = request;
  const historyDays = policy.patchWindow.historyDays;
  const profile = weeklyCpuProfile(request.cpu ?? [], now, historyDays);
  const minHours = Math.min(MIN_HISTORY_HOURS, historyDays * 24);
  if (request.decision === 'patch-now') {
    if (request.escalated === true && profile.hours >= minHours) {
      const soon = soonestQuiet(profile, now, dueBy, freezes, policy.patchWindow.durationHours * HOUR_MS);
      if (soon !== null) return soon;
    }
    return immediate(now, dueBy, freezes, policy.patchWindow.durationHours);
  }

  if (profile.hours === 0) return fallback(now, dueBy, freezes, policy, 'no-history', `no CPU history in the last ${historyDays} days`, []);
  if (profile.hours < minHours) {
    return fallback(now, dueBy, freezes, policy, 'little-history',
      `only ${profile.hours} h of CPU history in the last ${historyDays} days (${minHours} h needed)`, []);
  }

  const durationMs = policy.patchWindow.durationHours * HOUR_MS;
  const candidates = rankCandidates(profile, now, durationMs);
  const startsInTime = (c: Candidate): boolean => dueBy === null || c.start < dueBy;
  const endsInTime = (c: Candidate): boolean => dueBy === null || c.end <= dueBy;
  const usable = (c: Candidate): boolean => startsInTime(c) && overlapping(c, freezes).length === 0;
  const chosen = candidates.find((c) => usable(c) && endsInTime(c)) ?? candidates.find(usable);
  const days = Math.round(profile.hours / 24);

  if (!chosen) {
    const avoided = unique(candidates.filter(startsInTime).flatMap((c) => overlapping(c, freezes).map((f) => f.freeze)));
    return fallback(now, dueBy, freezes, policy, 'nothing-fits', nothingFits(candidates, freezes, dueBy, now, durationMs), avoided);
  }

  const better = candidates.slice(0, candidates.indexOf(chosen));
  const avoided = unique(better.flatMap((c) => overlapping(c, freezes).map((f) => f.freeze)));
  const span = `${hoursText(durationMs)} of the week`;
  let why = `quietest ${span}${better.length ? ' that fits' : ''}: ${slotText(chosen)}, mean CPU ${pct(chosen.meanCpu)} over ${days} days`;
  const quietest = better[0];
  if (quietest) why += `; the quietest, ${slotText(quietest)} at ${pct(quietest.meanCpu)}, ${rejection(quietest, freezes, dueBy)}`;
  const lateBy = late(chosen.end, dueBy);
  if (lateBy !== null) why += `; it ends ${hoursText(lateBy)} after the due date ${instantText(dueBy)}, as no usable window of the coming week ends in time`;
  return {
    window: { start: chosen.start, end: chosen.end, source: 'cpu-history', why },
    lateBy,
    fallback: null,
    avoidedFreezes: avoided,
    overriddenFreeze: null,
  };
}

/** Hours within which an overdue (escalated) instance gets its quiet window. */
export const ESCALATION_HOURS = 72;

function soonestQuiet(profile: CpuProfile, now: Instant, dueBy: Instant | null, freezes: readonly Freeze[], durationMs: number): WindowChoice | null {
  const limit = now + ESCALATION_HOURS * HOUR_MS;
  const chosen = rankCandidates(profile, now, durationMs).find((c) => c.start < limit && overlapping(c, freezes).length === 0);
  if (chosen === undefined) return null;
  const why = `overdue: quietest ${hoursText(durationMs)} within the next ${ESCALATION_HOURS} h: ${slotText(chosen)}, mean CPU ${pct(chosen.meanCpu)}`;
  return { window: { start: chosen.start, end: chosen.end, source: 'cpu-history', why }, lateBy: late(chosen.end, dueBy), fallback: null, avoidedFreezes: [], overriddenFreeze: null };
}

function immediate(now: Instant, dueBy: Instant | null, freezes: readonly Freeze[], durationHours: number): WindowChoice {
  const end = now + durationHours * HOUR_MS;
  const inFreeze = overlapping({ start: now, end }, freezes)[0] ?? null;
  let why = 'patch-now: starts at once';
  if (inFreeze) why += `; the emergency overrides freeze ${freezeText(inFreeze)}`;
  const lateBy = late(end, dueBy);
  if (lateBy !== null && dueBy !== null) {
    why += dueBy <= now ? `; the due date ${instantText(dueBy)} has passed` : `; it ends ${hoursText(lateBy)} after the due date ${instantText(dueBy)}`;
  }
  return {
    window: { start: now, end, source: 'immediate', why },
    lateBy,
    fallback: null,
    avoidedFreezes: [],
    overriddenFreeze: inFreeze?.freeze ?? null,
  };
}

function fallback(
  now: Instant,
  dueBy: Instant | null,
  freezes: readonly Freeze[],
  policy: Policy,
  kind: WindowFallback,
  reason: string,
  alreadyAvoided: readonly FreezeWindow[],
): WindowChoice {
  const weekly: WeeklyWindow = policy.patchWindow.default;
  const slot = weekly.day * 24 + weekly.hour;
  const durationMs = weekly.durationHours * HOUR_MS;
  let start = nextOccurrence(slot, now);
  const pushedBy: Freeze[] = [];
  // Each step starts past the end of a freeze it overlapped, so there is at most one step per
  // freeze.
  for (;;) {
    const hit = overlapping({ start, end: start + durationMs }, freezes);
    if (hit.length === 0) break;
    pushedBy.push(...hit);
    start = nextOccurrence(slot, Math.max(...hit.map((f) => f.end)));
  }
  const end = start + durationMs;
  let why = `policy default window ${slotText({ start, end })}, because ${reason}`;
  if (pushedBy.length) why += `; moved past freeze ${unique(pushedBy).map(freezeText).join(', ')}`;
  const lateBy = late(end, dueBy);
  if (lateBy !== null) why += `; it ends ${hoursText(lateBy)} after the due date ${instantText(dueBy)}`;
  return {
    window: { start, end, source: 'default', why },
    lateBy,
    fallback: kind,
    avoidedFreezes: unique([...alreadyAvoided, ...pushedBy.map((f) => f.freeze)]),
    overriddenFreeze: null,
  };
}

function rankCandidates(profile: CpuProfile, now: Instant, durationMs: number): Candidate[] {
  const width = Math.ceil(durationMs / HOUR_MS);
  const out: Candidate[] = [];
  for (let slot = 0; slot < SLOTS_PER_WEEK; slot++) {
    let sum = 0;
    let complete = true;
    for (let k = 0; k < width && complete; k++) {
      const v = profile.slots[(slot + k) % SLOTS_PER_WEEK];
      if (v === null || v === undefined) complete = false;
      else sum += v;
    }
    // A run with an unseen hour is not known to be quiet.
    if (!complete) continue;
    const start = nextOccurrence(slot, now);
    out.push({ slot, meanCpu: sum / width, start, end: start + durationMs });
  }
  return out.sort((a, b) => a.meanCpu - b.meanCpu || a.start - b.start);
}

function nothingFits(candidates: readonly Candidate[], freezes: readonly Freeze[], dueBy: Instant | null, now: Instant, durationMs: number): string {
  if (candidates.length === 0) return `the CPU history has no ${hoursText(durationMs)} run of consecutive hours`;
  if (dueBy !== null && dueBy <= now) return `the due date ${instantText(dueBy)} has passed`;
  const afterDue = candidates.filter((c) => dueBy !== null && c.start >= dueBy).length;
  const frozen = candidates.filter((c) => (dueBy === null || c.start < dueBy) && overlapping(c, freezes).length > 0).length;
  const parts = [
    ...(afterDue ? [`${afterDue} start after the due date ${instantText(dueBy)}`] : []),
    ...(frozen ? [`${frozen} overlap a freeze`] : []),
  ];
  return `no quiet window of the coming week fits (${parts.join(', ')})`;
}

function rejection(c: Candidate, freezes: readonly Freeze[], dueBy: Instant | null): string {
  if (dueBy !== null && c.start >= dueBy) return `starts after the due date ${instantText(dueBy)}`;
  const hit = overlapping(c, freezes)[0];
  if (hit) return `overlaps freeze ${freezeText(hit)}`;
  return `ends after the due date ${instantText(dueBy)}`;
}

function overlapping(w: Interval, freezes: readonly Freeze[]): Freeze[] {
  return freezes.filter((f) => w.start < f.end && f.start < w.end);
}

function late(end: Instant, dueBy: Instant | null): number | null {
  return dueBy !== null && end > dueBy ? end - dueBy : null;
}

function toFreeze(freeze: FreezeWindow): Freeze {
  return { start: parseUtc(freeze.start), end: parseUtc(freeze.end), freeze };
}

/**
 * A freeze window's instant (validated with the policy, so it parses). Without an offset it is
 * UTC: the core never depends on the host's zone (domain/time.ts).
 */
export function parseUtc(iso: string): Instant {
  return parseInstant(iso, 'freezeWindows', { zoneless: 'utc' });
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function offsetInWeek(t: Instant): number {
  return (((t - FIRST_SUNDAY) % WEEK_MS) + WEEK_MS) % WEEK_MS;
}

function clock(t: Instant): string {
  const d = new Date(t);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** "Sun 02:00–05:00 UTC". */
export function slotText(w: Interval): string {
  return `${DAY_NAMES[new Date(w.start).getUTCDay()]} ${clock(w.start)}–${clock(w.end)} UTC`;
}

/** "Sun 03:00–06:00 UTC" for a weekly window. */
export function weeklyText(w: WeeklyWindow): string {
  const start = FIRST_SUNDAY + (w.day * 24 + w.hour) * HOUR_MS;
  return slotText({ start, end: start + w.durationHours * HOUR_MS });
}

/** "2026-11-03 00:00 UTC". */
export function instantText(t: Instant | null): string {
  return t === null ? 'none' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "3 h", "1.5 h", "2 d 4 h". */
export function hoursText(ms: number): string {
  const hours = Math.round((ms / HOUR_MS) * 10) / 10;
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = Math.round((hours - days * 24) * 10) / 10;
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

function pct(v: number): string {
  return `${v.toFixed(1)}%`;
}

function freezeText(f: Freeze): string {
  return `"${f.freeze.reason}" (${instantText(f.start)} – ${instantText(f.end)})`;
}
