import { createHash } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { auditEntryHash, canonicalAuditEntry, chainAuditEntry, GENESIS_HASH, verifyAuditChain } from '../../../../domain/access/audit-chain.js';
import { sha256Hex } from '../../../../domain/access/sha256.js';
import { anAuditEntry } from '../../../patch-builders.js';

describe('domain: the audit hash chain', () => {
  it('sha256Hex agrees with node:crypto on any text (ASCII, multi-byte, block boundaries)', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(119), 'é€😀']) {
      expect(sha256Hex(text)).to.equal(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => sha256Hex(text) === createHash('sha256').update(text, 'utf8').digest('hex')));
  });

  it('serialises the fields in a fixed order, so key order in storage does not matter', () => {
    const e = anAuditEntry();
    const shuffled = { detail: e.detail, result: e.result, target: e.target, action: e.action, via: e.via, actor: e.actor, at: e.at, id: e.id };
    expect(canonicalAuditEntry(shuffled, 1, GENESIS_HASH)).to.equal(canonicalAuditEntry(e, 1, GENESIS_HASH));
    expect(auditEntryHash(e, 1, GENESIS_HASH)).to.not.equal(auditEntryHash(e, 2, GENESIS_HASH));
  });

  it('each entry carries the hash of the one before; the chain verifies', () => {
    const a = chainAuditEntry(anAuditEntry({ id: 'a-1' }), null);
    const b = chainAuditEntry(anAuditEntry({ id: 'a-2' }), a);
    expect([a.seq, a.prevHash, b.seq, b.prevHash]).to.deep.equal([1, GENESIS_HASH, 2, a.hash]);
    expect(verifyAuditChain([a, b], { seq: 2, hash: b.hash })).to.deep.equal({ ok: true, entries: 2, head: { seq: 2, hash: b.hash }, firstBreak: null });
  });

  it('any change to any field of any entry is named at that entry (or the one after, when its hash was recomputed)', () => {
    const entries = [1, 2, 3].reduce<ReturnType<typeof chainAuditEntry>[]>((acc, k) => [...acc, chainAuditEntry(anAuditEntry({ id: `a-${k}`, detail: `d${k}` }), acc.at(-1) ?? null)], []);
    for (const [i, field, value] of [[0, 'actor', 'mallory'], [1, 'result', 'denied'], [2, 'detail', null], [1, 'at', 5], [0, 'prevHash', 'f'.repeat(64)]] as const) {
      const tampered = entries.map((e, k) => (k === i ? { ...e, [field]: value } : e));
      const v = verifyAuditChain(tampered, { seq: 3, hash: entries[2]?.hash as string });
      expect(v.ok, `${field} of entry ${i + 1}`).to.equal(false);
      expect(v.firstBreak?.position).to.equal(i + 1);
    }
  });

  it('a record that is not an entry at all (garbage in a forged row) is named, not thrown on', () => {
    const a = chainAuditEntry(anAuditEntry({ id: 'a-1' }), null);
    expect(verifyAuditChain([a, null], null).firstBreak).to.deep.include({ position: 2, problem: 'it is not an audit entry (unreadable)' });
    expect(verifyAuditChain([a, { id: 'x' }], null).firstBreak?.problem).to.match(/^it lacks actor, via/);
  });
});
