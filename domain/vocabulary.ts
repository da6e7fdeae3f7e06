/**
 * Every enumeration and limit a user can meet, stated once. The domain's types are derived from
 * these tuples; the HTTP and MCP schemas and the CLI's choices are built from them; a request is
 * checked against them in the domain or the use case, with the same message on every surface
 * (test/unit/adapters/inbound/surface-limits.spec.ts fails if a surface accepts what the domain
 * refuses).
 */

/** The patch decisions, most urgent first: the order of every report that groups by decision. */
export const DECISION_KINDS = ['patch-now', 'next-window', 'routine', 'mitigate', 'blocked', 'none'] as const;
/** The BOD 26-04 remediation timelines, shortest first. */
export const TIMELINES = ['3 days and forensic investigation', '3 days', '14 days', '60 days', 'fix on system upgrade'] as const;
/** The CISA SSVC deployer outcomes, most urgent first. */
export const SSVC_OUTCOMES = ['act', 'attend', 'track*', 'track'] as const;
/** Mission prevalence of an instance (policy.missionTag). */
export const MISSIONS = ['low', 'medium', 'high'] as const;
/** The severities a findings list can be cut at, lowest first. */
export const MIN_SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
/** The same, as the HTTP and MCP parameters spell them (the use case takes either case). */
export const MIN_SEVERITY_NAMES = MIN_SEVERITIES.map((s) => s.toLowerCase()) as unknown as Lowered<typeof MIN_SEVERITIES>;
type Lowered<T extends readonly string[]> = { readonly [K in keyof T]: Lowercase<T[K] & string> };
/** What a patch run may do about reboots (AWS-RunPatchBaseline RebootOption). */
export const REBOOT_OPTIONS = ['if-needed', 'never'] as const;
/** The stages of a patch run's waves, in the order they go. */
export const WAVE_STAGES = ['non-production', 'production'] as const;

/** How far back the metrics and activity reports look by default, and at most (90 days). */
export const DEFAULT_LOOKBACK_HOURS = 24;
export const MAX_LOOKBACK_HOURS = 24 * 90;
/** The longest reason or comment a patch request, approval, rejection or acceptance keeps. */
export const MAX_REASON_LENGTH = 500;
/** An idempotency key: what makes a retried patch request one run. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
export const IDEMPOTENCY_KEY_TEXT = '1 to 128 letters, digits or ._:@/+=-';
