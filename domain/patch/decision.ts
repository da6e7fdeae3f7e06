/** The per-asset patch decision (docs/decision-model.md "Decisions"). */
import type { ManagedInstance, PatchState } from '../fleet-facts.js';
import { DAY_MS, HOUR_MS, toIso, type Instant } from '../time.js';
import { isWindowsUpdateId } from '../risk/advisory-ids.js';
import type { FindingAssessment, SsvcOutcome, Timeline } from '../risk/finding-assessment.js';
import type { DECISION_KINDS } from '../vocabulary.js';

/** The decision the findings alone make. */
export type Urgency = PatchDecision['underlying'];

/** SSM's view of the instance, as assessment resolved it. */
export interface SsmView {
  /** true / false from SSM; null when SSM state is unknown (never blocks). */
  readonly managed: boolean | null;
  readonly managedInstance: ManagedInstance | null;
  readonly patchState: PatchState | null;
}

const URGENCY_RANK: Readonly<Record<Urgency, number>> = { none: 0, routine: 1, 'next-window': 2, 'patch-now': 3 };

/** The urgency one finding calls for: act or a 3-day timeline now, attend or 14 days next window. */
export function urgencyOf(f: { readonly ssvc: SsvcOutcome; readonly timeline: Timeline | null }): Exclude<Urgency, 'none'> {
  if (f.ssvc === 'act' || f.timeline === '3 days' || f.timeline === '3 days and forensic investigation') return 'patch-now';
  if (f.ssvc === 'attend' || f.timeline === '14 days') return 'next-window';
  return 'routine';
}

// Headers, tools and firmware ship with the kernel's name but never need a reboot.
const NOT_KERNEL = /(^|-)(headers|devel|doc|tools|tools-libs|cloud-tools|libc-dev|firmware|source)(-|$)/;
const KERNEL = /^(kernel(\d[\d.]*)?(-.+)?|linux|linux-(image|modules|aws|azure|gcp|generic|virtual|kvm|lowlatency|oracle|oem|hwe|signed|raspi|ibm)(-.+)?)$/;

/**
 * A package whose update replaces the running kernel, so patching ends in a reboot: kernel,
 * kernel-core, kernel6.1 (Amazon Linux 2023), kernel-default, linux-image-*, linux-aws,
 * linux-generic ... but not kernel-headers, kernel-tools or linux-firmware.
 */
export function isKernelPackage(name: string): boolean {
  const n = name.trim().toLowerCase();
  return KERNEL.test(n) && !NOT_KERNEL.test(n);
}

/** A package listed with a version that fixes it (Inspector writes "NotAvailable" when none does). */
function hasFix(fixedInVersion: string | null): boolean {
  return fixedInVersion !== null && fixedInVersion !== '' && fixedInVersion.toLowerCase() !== 'notavailable';
}

/** The KB id of a Windows OS update this finding installs (its id or a package named KB...), if any. */
function windowsUpdateOf(f: FindingAssessment): string | null {
  if (f.finding.vulnerabilityId !== null && isWindowsUpdateId(f.finding.vulnerabilityId)) return f.finding.vulnerabilityId.trim().toUpperCase();
  const p = f.finding.packages.find((x) => isWindowsUpdateId(x.name));
  return p === undefined ? null : p.name.trim().toUpperCase();
}

function label(f: FindingAssessment): string {
  return f.finding.vulnerabilityId ?? f.finding.title ?? f.finding.findingArn;
}

function list(fs: readonly FindingAssessment[]): string {
  const shown = fs.slice(0, 5).map(label).join(', ');
  return fs.length > 5 ? `${shown} and ${fs.length - 5} more` : shown;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function day(t: number): string {
  return (toIso(t) as string).slice(0, 10);
}

const WHY: Readonly<Record<Exclude<Urgency, 'none'>, string>> = {
  'patch-now': 'patching now (SSVC act or a BOD 26-04 3-day timeline)',
  'next-window': 'patching in the next window (SSVC attend or a BOD 26-04 14-day timeline)',
  routine: 'only routine patching (SSVC track or track*, 60 days or fix on system upgrade)',
};

/** "5 days" or "7 hours": how long past its due date. */
export function lateness(ms: number): string {
  if (ms >= DAY_MS) return plural(Math.floor(ms / DAY_MS), 'day', 'days');
  return plural(Math.max(1, Math.floor(ms / HOUR_MS)), 'hour', 'hours');
}

/**
 * Decides what to do with one instance from its counted findings (any order; drivers keep it).
 * NETWORK_REACHABILITY findings are left out: an open port has nothing to install, and it already
 * raises the asset's exposure. A counted finding past its due date at `now` makes it patch-now
 * (overdue escalation; its drivers are then the overdue findings, then the others that called
 * for the original urgency). Then, in this order, an
 * instance SSM does not manage is blocked, and an urgent decision whose drivers all lack a fix
 * becomes mitigate.
 */
export function decidePatch(counted: readonly FindingAssessment[], ssm: SsmView, now: Instant | null = null): PatchDecision {
  let underlying: Urgency = 'none';
  let dueBy: number | null = null;
  const forensic: FindingAssessment[] = [];
  const overdue: FindingAssessment[] = [];
  for (const f of counted) {
    if (f.finding.type === 'NETWORK_REACHABILITY') continue;
    const u = urgencyOf(f);
    if (URGENCY_RANK[u] > URGENCY_RANK[underlying]) underlying = u;
    if (f.dueBy !== null && (dueBy === null || f.dueBy < dueBy)) dueBy = f.dueBy;
    if (f.dueBy !== null && now !== null && f.dueBy < now) overdue.push(f);
    if (f.timeline === '3 days and forensic investigation') forensic.push(f);
  }
  const escalated = overdue.length > 0 && underlying !== 'patch-now';
  let drivers: readonly FindingAssessment[] = underlying === 'none' ? [] : counted.filter((f) => f.finding.type !== 'NETWORK_REACHABILITY' && urgencyOf(f) === underlying);

  const reasons: string[] = [];
  if (escalated) {
    underlying = 'patch-now';
    // The overdue findings first, then what the findings alone called for: a patch run fixes both,
    // and mitigate applies only when none of them has a fix.
    drivers = [...overdue, ...drivers.filter((f) => !overdue.includes(f))];
    reasons.push(`${plural(overdue.length, 'finding is', 'findings are')} past due, so patching now: ${list(overdue)}`);
  } else {
    reasons.push(underlying === 'none' ? 'no counted findings to patch' : `${plural(drivers.length, 'finding needs', 'findings need')} ${WHY[underlying]}: ${list(drivers)}`);
  }
  if (overdue.length > 0) {
    const worst = overdue.reduce((a, b) => ((a.dueBy as number) <= (b.dueBy as number) ? a : b));
    const more = overdue.length > 1 ? ` (and ${plural(overdue.length - 1, 'other overdue finding', 'other overdue findings')})` : '';
    reasons.push(`overdue: ${label(worst)} was due ${day(worst.dueBy as number)}, ${lateness((now as number) - (worst.dueBy as number))} ago${more}`);
  }
  if (dueBy !== null) reasons.push(`due by ${day(dueBy)} (earliest due date of the counted findings)`);

  let kind: DecisionKind = underlying;
  if (underlying !== 'none' && ssm.managed === false) {
    kind = 'blocked';
    reasons.push(
      ssm.managedInstance === null
        ? 'blocked: the instance is not managed by SSM (no SSM agent registration), so it cannot be patched through SSM'
        : `blocked: SSM PingStatus is ${ssm.managedInstance.pingStatus}, not Online, so it cannot be patched through SSM`,
    );
  } else if ((underlying === 'patch-now' || underlying === 'next-window') && drivers.every((f) => f.finding.fixAvailable === 'NO')) {
    kind = 'mitigate';
    reasons.push('no patch exists for the driving findings (fixAvailable NO): isolate the instance or apply a compensating control');
  }
  if (underlying !== 'none' && ssm.managed === null) reasons.push('SSM state unknown: not treated as blocked');

  const pending = ssm.patchState?.installedPendingRebootCount ?? 0;
  let kernel: string | null = null;
  let windowsUpdate: string | null = null;
  for (const f of drivers) {
    const k = f.finding.packages.find((p) => hasFix(p.fixedInVersion) && isKernelPackage(p.name));
    if (k) { kernel = k.name; break; }
    if (windowsUpdate === null) windowsUpdate = windowsUpdateOf(f);
  }
  if (pending > 0) reasons.push(`reboot expected: ${plural(pending, 'patch', 'patches')} installed pending reboot`);
  if (kernel !== null) reasons.push(`reboot expected: kernel package ${kernel} among the fixes`);
  else if (windowsUpdate !== null) reasons.push(`reboot expected: Windows update ${windowsUpdate} among the fixes`);
  if (forensic.length > 0) reasons.push(`forensic triage: ${list(forensic)} (BOD 26-04 "3 days and forensic investigation")`);

  return {
    kind, underlying, dueBy, rebootExpected: pending > 0 || kernel !== null || windowsUpdate !== null,
    forensicTriage: forensic.length > 0, overdue: overdue.length > 0, escalated, drivers, reasons,
  };
}

/** The decisions that get a window and a wave; none, blocked and mitigate are listed unpatched. */
export type PatchedDecision = Extract<DecisionKind, 'patch-now' | 'next-window' | 'routine'>;

export type DecisionKind = (typeof DECISION_KINDS)[number];

/** The per-asset patch decision (docs/decision-model.md "Decisions"). */
export interface PatchDecision {
  readonly kind: DecisionKind;
  /** For blocked and mitigate: the decision the findings alone would have made. */
  readonly underlying: 'patch-now' | 'next-window' | 'routine' | 'none';
  readonly dueBy: Instant | null;
  readonly rebootExpected: boolean;
  readonly forensicTriage: boolean;
  /** A counted finding is past its due date: the decision was escalated to patch-now (unless blocked or mitigate). */
  readonly overdue: boolean;
  /** patch-now only because of an overdue finding (the findings alone said next-window or routine). */
  readonly escalated: boolean;
  /** The findings that drove the decision (the most urgent ones). */
  readonly drivers: readonly FindingAssessment[];
  /** Sentences explaining the decision. */
  readonly reasons: readonly string[];
}
