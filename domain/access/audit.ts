/**
 * The audit log: one append-only entry for every action that changes anything (and every denied
 * attempt), saying who, when, what and with what result. Entries never carry secrets.
 */
import type { Instant } from '../time.js';
import type { Actor } from './actor.js';

export type AuditResult = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  readonly id: string;
  readonly at: Instant;
  /** Actor id. */
  readonly actor: string;
  readonly via: Actor['via'];
  /** e.g. "patch-run.request", "patch-run.approve", "ssm.send-command", "risk.accept". */
  readonly action: string;
  /** What it was done to: a run id, an acceptance id, a window id, a CVE. */
  readonly target: string;
  readonly result: AuditResult;
  readonly detail: string | null;
}

/** Longest detail kept: enough for an error message and ids, bounded so one entry stays small. */
export const MAX_AUDIT_DETAIL = 1000;

// Shapes of credentials that could reach a message (an SDK error echoing a request, a pasted
// token in a reason). Each is replaced, not the whole text, so the entry stays useful.
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, '[redacted access key]'],
  [/\b(aws_secret_access_key|secretAccessKey|SecretAccessKey|aws_session_token|sessionToken|SessionToken)(["']?\s*[:=]\s*["']?)[^\s"',}]+/g, '$1$2[redacted]'],
  [/\bxox[abposr]-[0-9A-Za-z-]{10,}/g, '[redacted slack token]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [redacted]'],
  [/\b(password|passwd|secret|token|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2[redacted]'],
];

/** A detail fit for the audit log: credentials redacted, one line, at most MAX_AUDIT_DETAIL characters. */
export function auditDetail(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  let out = text.replace(/\s+/g, ' ').trim();
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  if (out.length > MAX_AUDIT_DETAIL) out = `${out.slice(0, MAX_AUDIT_DETAIL - 1)}…`;
  return out || null;
}
