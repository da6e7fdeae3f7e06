/**
 * The audit log as a hash chain: each entry carries its position (`seq`, from 1 with no gaps),
 * the hash of the entry before it (`prevHash`; the first entry has GENESIS_HASH) and its own hash,
 * SHA-256 of its canonical serialisation. Changing, removing or slipping in an entry anywhere
 * but at the very end breaks the chain at that entry; removing entries at the end is seen by the
 * head (the last seq and hash), which the store keeps apart from the entries.
 *
 * What it does not do: someone with write access to the storage who recomputes every hash from
 * the changed entry onwards (and the head) leaves a valid chain. Anchoring closes that: keep the
 * head `audit verify` prints somewhere that person cannot write, and compare later.
 */
import type { AuditEntry } from './audit.js';
import { sha256Hex } from './sha256.js';

/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where an entry sits in the chain. */
export interface AuditLink {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** An entry as stored: the entry and its link. */
export type ChainedAuditEntry = AuditEntry & AuditLink;

/** The end of the chain as the store recorded it on the last append. */
export interface AuditChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * The canonical serialisation that is hashed: a JSON array of the fields in a fixed order (no
 * key order or whitespace to disagree on), the link's seq and prevHash included.
 */
export function canonicalAuditEntry(entry: AuditEntry, seq: number, prevHash: string): string {
  return JSON.stringify(['sre-ops-audit/1', seq, prevHash, entry.id, entry.at, entry.actor, entry.via, entry.action, entry.target, entry.result, entry.detail]);
}

export function auditEntryHash(entry: AuditEntry, seq: number, prevHash: string): string {
  return sha256Hex(canonicalAuditEntry(entry, seq, prevHash));
}

/** The entry's own fields, without a link (what listing the log returns). */
export function plainAuditEntry(e: AuditEntry): AuditEntry {
  return { id: e.id, at: e.at, actor: e.actor, via: e.via, action: e.action, target: e.target, result: e.result, detail: e.detail };
}

/** The entry linked after `previous` (null: the first entry). Only the fields of AuditEntry are kept. */
export function chainAuditEntry(entry: AuditEntry, previous: AuditChainHead | null): ChainedAuditEntry {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? GENESIS_HASH;
  const plain = plainAuditEntry(entry);
  return { ...plain, seq, prevHash, hash: auditEntryHash(plain, seq, prevHash) };
}

/** The first place the chain breaks. */
export interface AuditChainBreak {
  /** Position of the offending entry in storage order, from 1. */
  readonly position: number;
  /** Its id and seq as stored, when readable. */
  readonly id: string | null;
  readonly seq: number | null;
  readonly problem: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  /** Entries read. */
  readonly entries: number;
  /** The last entry's seq and hash (what to keep elsewhere to anchor the log); null when empty. */
  readonly head: AuditChainHead | null;
  readonly firstBreak: AuditChainBreak | null;
}

const HASH = /^[0-9a-f]{64}$/;

function field(record: unknown, name: string): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[name] : undefined;
}

/** Null when the record has an entry's fields and a link; else what is missing. */
function shapeProblem(record: unknown): string | null {
  if (typeof record !== 'object' || record === null) return 'it is not an audit entry (unreadable)';
  const missing = ['id', 'actor', 'via', 'action', 'target', 'result'].filter((k) => typeof field(record, k) !== 'string');
  if (typeof field(record, 'at') !== 'number') missing.push('at');
  const detail = field(record, 'detail');
  if (detail !== null && typeof detail !== 'string') missing.push('detail');
  if (missing.length) return `it lacks ${missing.join(', ')}`;
  if (!Number.isInteger(field(record, 'seq'))) return 'it has no place in the chain (no seq): it was not written by sre-ops';
  if (typeof field(record, 'prevHash') !== 'string' || !HASH.test(field(record, 'hash') as string)) return 'it carries no chain hash: it was not written by sre-ops';
  return null;
}

/**
 * Walks the chain: `records` in storage order (by seq), each as the store read it (possibly
 * malformed: a forged row). Names the first entry that breaks it.
 */
export function verifyAuditChain(records: readonly unknown[], recordedHead: AuditChainHead | null): AuditVerification {
  let previous: AuditChainHead | null = null;
  const broken = (position: number, record: unknown, problem: string): AuditVerification => {
    const id = field(record, 'id');
    const seq = field(record, 'seq');
    return {
      ok: false,
      entries: records.length,
      head: previous,
      firstBreak: { position, id: typeof id === 'string' ? id : null, seq: Number.isInteger(seq) ? (seq as number) : null, problem },
    };
  };
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const shape = shapeProblem(record);
    if (shape) return broken(i + 1, record, shape);
    const e = record as ChainedAuditEntry;
    const expectedSeq: number = (previous?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq) {
      return broken(i + 1, record, e.seq > expectedSeq
        ? `its seq is ${e.seq} where ${expectedSeq} was due: ${e.seq - expectedSeq} entr${e.seq - expectedSeq === 1 ? 'y was' : 'ies were'} removed before it`
        : `its seq is ${e.seq} where ${expectedSeq} was due: it was inserted out of order`);
    }
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (e.prevHash !== expectedPrev) return broken(i + 1, record, 'its prevHash is not the hash of the entry before it: the entry before it was replaced, or it was inserted');
    if (auditEntryHash(e, e.seq, e.prevHash) !== e.hash) return broken(i + 1, record, 'its content does not match its hash: it was changed after it was written');
    previous = { seq: e.seq, hash: e.hash };
  }
  if (recordedHead !== null && (previous === null || previous.seq !== recordedHead.seq || previous.hash !== recordedHead.hash)) {
    const end = previous === null ? 'the log is empty' : `the log ends at seq ${previous.seq}`;
    return {
      ok: false,
      entries: records.length,
      head: previous,
      firstBreak: {
        position: records.length + 1, id: null, seq: recordedHead.seq,
        problem: previous !== null && previous.seq > recordedHead.seq
          ? `${end} but the head records seq ${recordedHead.seq}: the head was reset`
          : `${end} but the head records seq ${recordedHead.seq}: entries at the end were removed (or the head was changed)`,
      },
    };
  }
  return { ok: true, entries: records.length, head: previous, firstBreak: null };
}
