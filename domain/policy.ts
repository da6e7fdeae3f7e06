/**
 * Every tunable of the model, with the defaults of docs/decision-model.md. A policy file (JSON) overrides any
 * part; `resolvePolicy` validates it and names the offending key when it is wrong.
 */
import { MISSIONS } from './vocabulary.js';
import { CLAIM_NAME, CLAIM_NAME_RULE, ROLES, type Role } from './access/actor.js';
import { ValidationError } from './errors.js';
import { INSTANT_EXPECTED, parseInstant } from './time.js';
import { DEFAULT_PATCH_ROLE, DEFAULT_READ_ROLE, ORG_ACCOUNTS, resolveScope, type InspectorSource, type ScopeRequest } from './scope.js';

export type Mission = (typeof MISSIONS)[number];

/** A recurring weekly slot in UTC. day: 0 = Sunday .. 6 = Saturday. */
export interface WeeklyWindow {
  readonly day: number;
  readonly hour: number;
  readonly durationHours: number;
}

/** A period when nothing may be patched (a release, a sales event). ISO instants; without a zone, UTC. */
export interface FreezeWindow {
  readonly start: string;
  readonly end: string;
  readonly reason: string;
}

export interface Policy {
  readonly tags: {
    /** Tag carrying low / medium / high. */
    readonly criticality: string;
    /** Tags carrying the environment, first match wins. */
    readonly environment: readonly string[];
    readonly name: string;
    readonly patchGroup: string;
    readonly autoScalingGroup: string;
  };
  readonly mission: {
    /** Criticality tag value (lower case) to mission. */
    readonly criticality: Readonly<Record<string, Mission>>;
    /** Environment tag value (lower case) to mission. */
    readonly environment: Readonly<Record<string, Mission>>;
    readonly default: Mission;
  };
  /** Environment values (lower case) that count as production for waves and approvals. */
  readonly productionEnvironments: readonly string[];
  /** Days for each BOD 26-04 timeline; some teams run 7 / 30 / 90. */
  readonly timelineDays: { readonly threeDays: number; readonly fourteenDays: number; readonly sixtyDays: number };
  readonly patchWindow: {
    /** Used when there is no CPU history, or no quiet hour fits before the due date. */
    readonly default: WeeklyWindow;
    /** Length of a chosen window, hours. */
    readonly durationHours: number;
    /** Days of CPU history used to find the quiet hour. */
    readonly historyDays: number;
  };
  readonly freezeWindows: readonly FreezeWindow[];
  readonly rollout: {
    /** SSM MaxConcurrency: a count ("5") or a percentage ("10%"). */
    readonly maxConcurrency: string;
    /** SSM MaxErrors: a count or a percentage. */
    readonly maxErrors: string;
    /** Largest share of one Auto Scaling group patched in one wave. */
    readonly maxAutoScalingGroupFraction: number;
    /** A wave of one instance first, in each stage. */
    readonly canary: boolean;
    /** CloudWatch alarms that stop a patch command when they go off (SendCommand AlarmConfiguration). */
    readonly alarms: readonly string[];
  };
  /** Who may do what (see domain/access/authorize.ts for what each role grants). */
  readonly access: {
    /** Named identities and their roles: "alice": ["approver"], "slack:U123": ["operator"]. */
    readonly actors: Readonly<Record<string, readonly Role[]>>;
    /** Roles of the local OS user running the CLI or library, when not named in actors. */
    readonly localUser: readonly Role[];
    /** Roles of anyone else not named in actors (an asserted --actor, an unknown chat user). */
    readonly others: readonly Role[];
  };
  readonly approval: {
    /** An approval lets a run start within this many hours; after that it must be approved again. */
    readonly expiresAfterHours: number;
  };
  readonly riskAcceptance: {
    /** Longest a risk may be accepted for, in days from the day it is accepted. */
    readonly maxDays: number;
  };
  /** How each wave of a patch run is verified before the next one goes (run-verification.ts). */
  readonly verification: {
    /** CPU before: the mean over this many minutes before the wave was sent. */
    readonly baselineMinutes: number;
    /** Wait this long after the wave's commands finish before measuring "after" (reboots settle). */
    readonly settleMinutes: number;
    /** CPU and status checks after: this many minutes, starting once settled. */
    readonly observeMinutes: number;
    /** Regressed when mean CPU after exceeds max(before, min(max(cpuRatio x before, before + cpuPoints), cpuCeiling)). */
    readonly cpuRatio: number;
    readonly cpuPoints: number;
    readonly cpuCeiling: number;
    /** Fewer CPU points than this on either side: no CPU verdict (said so), never a guess. */
    readonly minPoints: number;
    /** Commands of one wave not finished after this many minutes count as timed out. */
    readonly waveTimeoutMinutes: number;
    /** How often command invocations are polled. */
    readonly pollSeconds: number;
  };
  readonly activity: {
    /** CIDRs the account's own calls come from; a call from elsewhere is flagged. Empty: not checked. */
    readonly knownNetworks: readonly string[];
    /** Event names flagged as destructive or security relevant. */
    readonly sensitiveEvents: readonly string[];
  };
  readonly kev: {
    /** A cached catalog older than this is reported as stale. */
    readonly maxAgeDays: number;
  };
  readonly metrics: {
    /** Robust z-score (median / MAD) above which a point is an anomaly. */
    readonly anomalyThreshold: number;
  };
  /**
   * The organization scope of a live read (domain/scope.ts): command-line and library options
   * override it key by key. Empty lists: the configured region, the caller's own account.
   */
  readonly scope: {
    readonly regions: readonly string[];
    /** Account ids, or ["org"] (also written "org"): every ACTIVE account of the organization. */
    readonly accounts: readonly string[];
    readonly assumeRole: string;
    /** Empty: none. */
    readonly externalId: string;
    readonly patchRole: string;
    /** Where Inspector findings are read: members (each account) or administrator (the delegated administrator, once per region). */
    readonly inspector: string;
  };
  /** The history of assessments (docs/history.md). */
  readonly history: {
    /** Recorded assessments (and posted-alert records) older than this are pruned. */
    readonly retentionDays: number;
    /** The collector records an assessment at most this often (it still compares and alerts every run). */
    readonly minIntervalMinutes: number;
  };
  /** What `changes`, the alerts and the digest report. */
  readonly changes: {
    /** "Due soon" and "acceptance expiring" look this many days ahead. */
    readonly dueSoonDays: number;
  };
  /** The daily digest of changes. Both empty: no digest. */
  readonly digest: {
    /** Local time of day, HH:MM (24 hours). */
    readonly time: string;
    /** An IANA time zone (Europe/Berlin, UTC); required with a time. */
    readonly timeZone: string;
  };
  /**
   * Autopilot (opt-in): the plan's windows become runs by themselves, for the decisions and
   * environments named here (domain/patch/autopilot.ts, docs/patching.md#autopilot).
   */
  readonly autopilot: {
    readonly enabled: boolean;
    /** Decisions whose windows it turns into runs: routine, next-window, patch-now. */
    readonly decisions: readonly AutopilotDecision[];
    /** Environment values (lower case) it acts on; empty: every environment that is not production. */
    readonly environments: readonly string[];
    /** Missions it acts on; empty: every mission. */
    readonly missions: readonly Mission[];
    /**
     * A standing approval by policy: at a window's start the run is approved as `actor` (via
     * "policy"), never for a production instance or a patch-now decision (refused at load).
     */
    readonly standingApproval: { readonly allowed: boolean; readonly actor: string };
    /** A run (and, without a standing approval, its approval request) is created this long before its window. */
    readonly approvalLeadTimeHours: number;
    /** An approval may still arrive this long after the window's start; later, the window is missed. */
    readonly approvalDeadlineMinutes: number;
    /** The Slack channel approval requests and missed windows are posted to; an empty channel: nowhere (the audit log only). */
    readonly chat: { readonly platform: string; readonly channel: string };
  };
}

/** The decisions autopilot may act on (the ones a plan gives a window). */
export const AUTOPILOT_DECISIONS = ['routine', 'next-window', 'patch-now'] as const;
export type AutopilotDecision = (typeof AUTOPILOT_DECISIONS)[number];

export const DEFAULT_POLICY: Policy = {
  tags: {
    criticality: 'criticality',
    environment: ['environment', 'env'],
    name: 'Name',
    patchGroup: 'Patch Group',
    autoScalingGroup: 'aws:autoscaling:groupName',
  },
  mission: {
    criticality: { low: 'low', medium: 'medium', high: 'high' },
    environment: {
      prod: 'high',
      production: 'high',
      staging: 'medium',
      stage: 'medium',
      uat: 'medium',
      dev: 'low',
      development: 'low',
      test: 'low',
      sandbox: 'low',
    },
    default: 'medium',
  },
  productionEnvironments: ['prod', 'production'],
  timelineDays: { threeDays: 3, fourteenDays: 14, sixtyDays: 60 },
  patchWindow: {
    default: { day: 0, hour: 3, durationHours: 3 },
    durationHours: 3,
    historyDays: 14,
  },
  freezeWindows: [],
  rollout: { maxConcurrency: '10%', maxErrors: '1', maxAutoScalingGroupFraction: 1 / 3, canary: true, alarms: [] },
  access: { actors: {}, localUser: ['admin'], others: ['viewer'] },
  approval: { expiresAfterHours: 24 },
  riskAcceptance: { maxDays: 365 },
  verification: {
    baselineMinutes: 60,
    settleMinutes: 10,
    observeMinutes: 15,
    cpuRatio: 2,
    cpuPoints: 30,
    cpuCeiling: 95,
    minPoints: 2,
    waveTimeoutMinutes: 120,
    pollSeconds: 15,
  },
  activity: {
    knownNetworks: [],
    sensitiveEvents: [
      'TerminateInstances',
      'StopInstances',
      'RebootInstances',
      'ModifyInstanceAttribute',
      'ModifyInstanceMetadataOptions',
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'DeleteSecurityGroup',
      'ModifyNetworkInterfaceAttribute',
      'AssociateIamInstanceProfile',
      'ReplaceIamInstanceProfileAssociation',
      'DisassociateIamInstanceProfile',
      'CreateKeyPair',
      'ImportKeyPair',
      'DeleteFlowLogs',
      'StopLogging',
      'DeleteTrail',
      'SendCommand',
      'StartSession',
    ],
  },
  kev: { maxAgeDays: 7 },
  metrics: { anomalyThreshold: 3.5 },
  scope: { regions: [], accounts: [], assumeRole: DEFAULT_READ_ROLE, externalId: '', patchRole: DEFAULT_PATCH_ROLE, inspector: 'members' },
  history: { retentionDays: 90, minIntervalMinutes: 60 },
  changes: { dueSoonDays: 3 },
  digest: { time: '', timeZone: '' },
  autopilot: {
    enabled: false,
    decisions: ['routine', 'next-window'],
    environments: [],
    missions: [],
    standingApproval: { allowed: false, actor: 'standing-approval' },
    approvalLeadTimeHours: 12,
    approvalDeadlineMinutes: 60,
    chat: { platform: 'slack', channel: '' },
  },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Merges an override (parsed JSON) onto a base policy, validating every key against the shape of
 * the defaults. Unknown keys are refused (a typo in a policy must not be silently ignored).
 * Objects merge key by key; arrays and scalars replace. Mission maps may gain new keys.
 * @throws ValidationError naming the dotted path of the first bad key.
 */
export function resolvePolicy(override: unknown, base: Policy = DEFAULT_POLICY): Policy {
  if (override === undefined || override === null) return base;
  if (!isPlainObject(override)) throw new ValidationError('(policy)', 'a JSON object', `policy: expected a JSON object, got ${kind(override)}`);
  // `"accounts": "org"` reads better than ["org"]; both are taken.
  const scope = override.scope;
  if (isPlainObject(scope) && scope.accounts === ORG_ACCOUNTS) override = { ...override, scope: { ...scope, accounts: [ORG_ACCOUNTS] } };
  const merged = mergeInto(base as unknown as Json, override as Json, '') as unknown as Policy;
  checkInvariants(merged);
  return merged;
}

/** An entry of a map whose keys the policy author chooses: checked, and its key normalised. */
type OpenEntry = (key: string, value: Json, path: string) => [string, Json];

const missionEntry: OpenEntry = (key, value, p) => {
  if (typeof value !== 'string' || !(MISSIONS as readonly string[]).includes(value.toLowerCase()))
    throw new ValidationError(p, 'one of low, medium, high', `policy ${p}: expected one of low, medium, high, got ${JSON.stringify(value)}`);
  return [key.toLowerCase(), value.toLowerCase()];
};

// Actor ids keep their case: OS user names and chat ids are case-sensitive.
const rolesEntry: OpenEntry = (key, value, p) => {
  const expected = `a list of roles (${ROLES.join(', ')})`;
  if (!key.trim()) throw new ValidationError(p, 'a non-empty actor id', `policy ${p}: an actor id must not be empty`);
  if (!Array.isArray(value)) throw new ValidationError(p, expected, `policy ${p}: expected ${expected}, got ${JSON.stringify(value)}`);
  value.forEach((r, i) => {
    if (typeof r !== 'string' || !(ROLES as readonly string[]).includes(r))
      throw new ValidationError(`${p}[${i}]`, `one of ${ROLES.join(', ')}`, `policy ${p}[${i}]: expected one of ${ROLES.join(', ')}, got ${JSON.stringify(r)}`);
  });
  return [key, [...new Set(value)]];
};

const OPEN_MAPS: ReadonlyMap<string, OpenEntry> = new Map([
  ['mission.criticality', missionEntry],
  ['mission.environment', missionEntry],
  ['access.actors', rolesEntry],
]);

function mergeInto(base: Json, over: Json, path: string): Json {
  if (isPlainObject(base)) {
    if (!isPlainObject(over)) throw new ValidationError(path, 'an object', `policy ${path}: expected an object, got ${kind(over)}`);
    const out: Record<string, Json> = { ...base };
    for (const [key, value] of Object.entries(over)) {
      const p = path ? `${path}.${key}` : key;
      const open = OPEN_MAPS.get(path);
      if (open) {
        const [k, v] = open(key, value, p);
        delete out[key];
        out[k] = v;
        continue;
      }
      if (!(key in base)) {
        throw new ValidationError(p, `one of the keys ${Object.keys(base).join(', ')}`, `policy ${p}: unknown key (expected one of ${Object.keys(base).join(', ')})`);
      }
      out[key] = mergeInto(base[key] as Json, value, p);
    }
    return out;
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(over)) throw new ValidationError(path, 'an array', `policy ${path}: expected an array, got ${kind(over)}`);
    return over;
  }
  if (typeof base !== kind(over)) {
    throw new ValidationError(path, `a ${typeof base}`, `policy ${path}: expected a ${typeof base}, got ${kind(over)} ${JSON.stringify(over)}`);
  }
  return over;
}

function fail(path: string, expected: string, got: unknown): never {
  throw new ValidationError(path, expected, `policy ${path}: expected ${expected}, got ${JSON.stringify(got)}`);
}

// Through the one parser of typed instants (real dates only; a policy file's date-time without a
// zone is UTC, as it always was); its refusal is re-worded as a policy error naming the key.
function freezeInstant(v: unknown, path: string): number {
  if (typeof v !== 'string') fail(path, INSTANT_EXPECTED, v);
  try {
    return parseInstant(v, path, { zoneless: 'utc' });
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(path, INSTANT_EXPECTED, `policy ${e.message}`);
    throw e;
  }
}

function checkWeekly(w: WeeklyWindow, path: string): void {
  if (!Number.isInteger(w.day) || w.day < 0 || w.day > 6) fail(`${path}.day`, 'an integer 0 (Sunday) to 6 (Saturday)', w.day);
  if (!Number.isInteger(w.hour) || w.hour < 0 || w.hour > 23) fail(`${path}.hour`, 'an integer 0 to 23 (UTC)', w.hour);
  if (!(w.durationHours > 0 && w.durationHours <= 24)) fail(`${path}.durationHours`, 'a number of hours above 0, at most 24', w.durationHours);
}

const COUNT_OR_PERCENT = /^([1-9]\d*|([1-9]\d?|100)%)$/;

function checkInvariants(p: Policy): void {
  if (!MISSIONS.includes(p.mission.default)) fail('mission.default', 'one of low, medium, high', p.mission.default);
  p.tags.environment.forEach((t, i) => { if (typeof t !== 'string' || !t) fail(`tags.environment[${i}]`, 'a tag name', t); });
  p.productionEnvironments.forEach((t, i) => { if (typeof t !== 'string' || !t) fail(`productionEnvironments[${i}]`, 'an environment name', t); });
  for (const k of ['threeDays', 'fourteenDays', 'sixtyDays'] as const) {
    const d = p.timelineDays[k];
    if (!Number.isInteger(d) || d < 0) fail(`timelineDays.${k}`, 'a whole number of days, 0 or more', d);
  }
  checkWeekly(p.patchWindow.default, 'patchWindow.default');
  if (!(p.patchWindow.durationHours > 0 && p.patchWindow.durationHours <= 24)) fail('patchWindow.durationHours', 'a number of hours above 0, at most 24', p.patchWindow.durationHours);
  if (!Number.isInteger(p.patchWindow.historyDays) || p.patchWindow.historyDays < 1) fail('patchWindow.historyDays', 'a whole number of days, 1 or more', p.patchWindow.historyDays);
  p.freezeWindows.forEach((f, i) => {
    const at = `freezeWindows[${i}]`;
    if (!isPlainObject(f)) fail(at, 'an object with start, end, reason', f);
    const start = freezeInstant(f.start, `${at}.start`);
    const end = freezeInstant(f.end, `${at}.end`);
    if (end <= start) fail(`${at}.end`, 'a date-time after start', f.end);
    if (typeof f.reason !== 'string') fail(`${at}.reason`, 'a string', f.reason);
  });
  if (!COUNT_OR_PERCENT.test(p.rollout.maxConcurrency)) fail('rollout.maxConcurrency', 'a count such as "5" or a percentage such as "10%"', p.rollout.maxConcurrency);
  if (!/^(\d+|(\d{1,2}|100)%)$/.test(p.rollout.maxErrors)) fail('rollout.maxErrors', 'a count such as "1" or a percentage such as "10%"', p.rollout.maxErrors);
  const f = p.rollout.maxAutoScalingGroupFraction;
  if (!(f > 0 && f <= 1)) fail('rollout.maxAutoScalingGroupFraction', 'a fraction above 0, at most 1', f);
  p.activity.knownNetworks.forEach((c, i) => { if (typeof c !== 'string' || !/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(c)) fail(`activity.knownNetworks[${i}]`, 'a CIDR such as "203.0.113.0/24"', c); });
  p.activity.sensitiveEvents.forEach((c, i) => { if (typeof c !== 'string') fail(`activity.sensitiveEvents[${i}]`, 'an event name', c); });
  if (!(p.kev.maxAgeDays > 0)) fail('kev.maxAgeDays', 'a number of days above 0', p.kev.maxAgeDays);
  if (!(p.metrics.anomalyThreshold > 0)) fail('metrics.anomalyThreshold', 'a number above 0', p.metrics.anomalyThreshold);
  checkPatchOperations(p);
  scopeOfPolicy(p);
  checkHistory(p);
  checkAutopilot(p);
}

/** The actor the autopilot requests its runs as (the standing approval must be someone else). */
export const AUTOPILOT_ACTOR_ID = 'sre-ops-autopilot';

/**
 * The autopilot section. Besides the shapes: a standing approval may never let production or
 * patch-now patch without a second person, so a policy whose standing approval would cover
 * either is refused, naming the field and why.
 */
function checkAutopilot(p: Policy): void {
  const a = p.autopilot;
  a.decisions.forEach((d, i) => { if (!(AUTOPILOT_DECISIONS as readonly string[]).includes(d)) fail(`autopilot.decisions[${i}]`, `one of ${AUTOPILOT_DECISIONS.join(', ')}`, d); });
  if (a.enabled && a.decisions.length === 0) fail('autopilot.decisions', `at least one of ${AUTOPILOT_DECISIONS.join(', ')} when autopilot.enabled`, a.decisions);
  a.environments.forEach((e, i) => { if (typeof e !== 'string' || !e.trim()) fail(`autopilot.environments[${i}]`, 'an environment name', e); });
  a.missions.forEach((m, i) => { if (!(MISSIONS as readonly string[]).includes(m)) fail(`autopilot.missions[${i}]`, 'one of low, medium, high', m); });
  const s = a.standingApproval;
  if (!CLAIM_NAME.test(s.actor)) fail('autopilot.standingApproval.actor', CLAIM_NAME_RULE, s.actor);
  if (s.actor === AUTOPILOT_ACTOR_ID) fail('autopilot.standingApproval.actor', `a name other than ${AUTOPILOT_ACTOR_ID} (the autopilot requests the runs; nobody approves their own)`, s.actor);
  if (s.allowed) {
    const refuse = (field: string, why: string): never => {
      throw new ValidationError(field, 'no production and no patch-now under a standing approval', `policy ${field}: ${why}; production and patch-now need a second person, so autopilot.standingApproval.allowed must be false with it`);
    };
    if (a.decisions.includes('patch-now')) refuse(`autopilot.decisions[${a.decisions.indexOf('patch-now')}]`, 'the standing approval would let patch-now patch without a second person');
    const prod = new Set(p.productionEnvironments.map((e) => e.toLowerCase()));
    a.environments.forEach((e, i) => {
      if (prod.has(e.toLowerCase())) refuse(`autopilot.environments[${i}]`, `"${e}" is a production environment (productionEnvironments): the standing approval would let production patch without a second person`);
    });
  }
  if (!(a.approvalLeadTimeHours > 0 && a.approvalLeadTimeHours <= 24 * 30)) fail('autopilot.approvalLeadTimeHours', 'a number of hours above 0, at most 720', a.approvalLeadTimeHours);
  // Only when enabled: a short approval.expiresAfterHours alone must not make an unused default refuse the policy.
  if (a.enabled && a.approvalLeadTimeHours > p.approval.expiresAfterHours) {
    fail('autopilot.approvalLeadTimeHours', `a number of hours above 0, at most approval.expiresAfterHours (${p.approval.expiresAfterHours}), so an approval given when it is requested still holds at the window's start`, a.approvalLeadTimeHours);
  }
  if (!(a.approvalDeadlineMinutes >= 0 && a.approvalDeadlineMinutes <= 24 * 60)) fail('autopilot.approvalDeadlineMinutes', 'a number of minutes from 0 to 1440', a.approvalDeadlineMinutes);
  // Teams posts need the conversation's service URL and tenant, which only an incoming activity gives.
  if (a.chat.platform !== 'slack') fail('autopilot.chat.platform', '"slack" (a Teams channel cannot be named by a policy yet)', a.chat.platform);
}

/** An IANA time zone the runtime knows (Intl is part of the language, not I/O). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

function checkHistory(p: Policy): void {
  const r = p.history.retentionDays;
  if (!Number.isInteger(r) || r < 1 || r > 3650) fail('history.retentionDays', 'a whole number of days from 1 to 3650', r);
  const m = p.history.minIntervalMinutes;
  if (!Number.isInteger(m) || m < 0 || m > 24 * 60) fail('history.minIntervalMinutes', 'a whole number of minutes from 0 to 1440', m);
  const d = p.changes.dueSoonDays;
  if (!Number.isInteger(d) || d < 0 || d > 90) fail('changes.dueSoonDays', 'a whole number of days from 0 to 90', d);
  const { time, timeZone } = p.digest;
  if (time !== '' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) fail('digest.time', 'a local time HH:MM such as "08:30"', time);
  if (time !== '' && timeZone === '') {
    throw new ValidationError('digest.timeZone', 'an IANA time zone', `policy digest.timeZone: the digest time ${time} has no time zone; add one such as "Europe/Berlin" or "UTC"`);
  }
  if (timeZone !== '' && !isTimeZone(timeZone)) fail('digest.timeZone', 'an IANA time zone such as "Europe/Berlin" or "UTC"', timeZone);
  if (timeZone !== '' && time === '') fail('digest.time', 'a local time HH:MM with digest.timeZone', time);
}

function checkRoles(roles: readonly Role[], path: string): void {
  roles.forEach((r, i) => { if (!(ROLES as readonly string[]).includes(r)) fail(`${path}[${i}]`, `one of ${ROLES.join(', ')}`, r); });
}

function checkPatchOperations(p: Policy): void {
  p.rollout.alarms.forEach((a, i) => {
    if (typeof a !== 'string' || !/^[^\s].{0,254}$/.test(a)) fail(`rollout.alarms[${i}]`, 'a CloudWatch alarm name (1 to 255 characters)', a);
  });
  // SSM AlarmConfiguration takes one alarm: several would be silently cut, so refuse them here.
  if (p.rollout.alarms.length > 1) fail('rollout.alarms', 'at most one alarm name (SSM SendCommand takes one)', p.rollout.alarms);
  checkRoles(p.access.localUser, 'access.localUser');
  checkRoles(p.access.others, 'access.others');
  if (!(p.approval.expiresAfterHours > 0 && p.approval.expiresAfterHours <= 24 * 30)) fail('approval.expiresAfterHours', 'a number of hours above 0, at most 720 (30 days)', p.approval.expiresAfterHours);
  if (!Number.isInteger(p.riskAcceptance.maxDays) || p.riskAcceptance.maxDays < 1) fail('riskAcceptance.maxDays', 'a whole number of days, 1 or more', p.riskAcceptance.maxDays);
  const v = p.verification;
  for (const k of ['baselineMinutes', 'observeMinutes'] as const) if (!(v[k] > 0 && v[k] <= 24 * 60)) fail(`verification.${k}`, 'a number of minutes above 0, at most 1440', v[k]);
  if (!(v.settleMinutes >= 0 && v.settleMinutes <= 24 * 60)) fail('verification.settleMinutes', 'a number of minutes from 0 to 1440', v.settleMinutes);
  if (!(v.cpuRatio >= 1)) fail('verification.cpuRatio', 'a ratio of 1 or more', v.cpuRatio);
  if (!(v.cpuPoints >= 0 && v.cpuPoints <= 100)) fail('verification.cpuPoints', 'percentage points from 0 to 100', v.cpuPoints);
  if (!(v.cpuCeiling > 0 && v.cpuCeiling <= 100)) fail('verification.cpuCeiling', 'a percentage above 0, at most 100', v.cpuCeiling);
  if (!Number.isInteger(v.minPoints) || v.minPoints < 1) fail('verification.minPoints', 'a whole number of points, 1 or more', v.minPoints);
  if (!(v.waveTimeoutMinutes > 0)) fail('verification.waveTimeoutMinutes', 'a number of minutes above 0', v.waveTimeoutMinutes);
  if (!(v.pollSeconds > 0 && v.pollSeconds <= 3600)) fail('verification.pollSeconds', 'a number of seconds above 0, at most 3600', v.pollSeconds);
}

/**
 * The policy's scope section as a scope request: empty lists and an empty external id are "not
 * set", so options given on the command line or to the library decide.
 * @throws ValidationError naming scope.KEY.
 */
export function scopeOfPolicy(p: Policy): ScopeRequest {
  const s = p.scope;
  const request: ScopeRequest = {
    ...(s.regions.length > 0 ? { regions: s.regions } : {}),
    ...(s.accounts.length > 0 ? { accounts: s.accounts } : {}),
    ...(s.assumeRole !== DEFAULT_READ_ROLE ? { assumeRole: s.assumeRole } : {}),
    ...(s.externalId !== '' ? { externalId: s.externalId } : {}),
    ...(s.patchRole !== DEFAULT_PATCH_ROLE ? { patchRole: s.patchRole } : {}),
    ...(s.inspector !== 'members' ? { inspector: s.inspector as InspectorSource } : {}),
  };
  try {
    resolveScope(request, { regions: 'scope.regions', accounts: 'scope.accounts', assumeRole: 'scope.assumeRole', externalId: 'scope.externalId', patchRole: 'scope.patchRole', inspector: 'scope.inspector' });
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.field, e.expected, `policy ${e.message}`);
    throw e;
  }
  return request;
}
