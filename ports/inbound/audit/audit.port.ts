/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */
import type { Actor } from '../../../domain/access/actor.js';

export interface AuditEntryReport {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly via: Actor['via'];
  /** e.g. "patch-run.request", "patch-run.approve", "ssm.send-command", "risk.accept". */
  readonly action: string;
  readonly target: string;
  readonly result: 'ok' | 'denied' | 'failed';
  readonly detail: string | null;
}

/** What `audit verify` found walking the hash chain (domain/access/audit-chain.ts). */
export interface AuditVerificationReport {
  /** True when every entry links to the one before and the head matches the last entry. */
  readonly ok: boolean;
  readonly entries: number;
  /** The last good entry's seq and hash: keep it elsewhere to notice a rewritten chain later. */
  readonly head: { readonly seq: number; readonly hash: string } | null;
  /** The first entry that breaks the chain, and how; null when ok. */
  readonly firstBreak: {
    /** Position in chain order, from 1. */
    readonly position: number;
    readonly id: string | null;
    readonly seq: number | null;
    readonly problem: string;
  } | null;
}
