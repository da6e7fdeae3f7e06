import { expect } from 'chai';
import { isDecisionValue, MAX_CARD_BYTES, renderCard } from '../../../../../adapters/inbound/teams/adaptive-cards.js';

describe('Adaptive Card rendering', () => {
  it('lays a document out as title, facts, sections, notes and Action.Submit buttons', () => {
    const card = renderCard({
      title: 'Patch run run-1 needs approval', subtitle: 'updated now',
      facts: [{ label: 'Status', value: '⏳ **requested**' }],
      sections: [{ heading: 'Waves', lines: ['**Wave 1**\nweb-1'] }],
      notes: ['a note'],
      actions: [{ action: 'approve', label: 'Approve', style: 'primary', runId: 'run-1', confirm: 'Sure?' }, { action: 'reject', label: 'Reject', style: 'danger', runId: 'run-1', confirm: null }],
    });

    expect(card).to.include({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body.map((b) => b.type)).to.deep.equal(['TextBlock', 'TextBlock', 'FactSet', 'TextBlock', 'TextBlock', 'TextBlock']);
    expect(card.body[4]!.text).to.equal('**Wave 1**\n\nweb-1');
    expect(card.actions).to.deep.equal([
      { type: 'Action.Submit', title: 'Approve', style: 'positive', data: { sreAction: 'approve', runId: 'run-1' } },
      { type: 'Action.Submit', title: 'Reject', style: 'destructive', data: { sreAction: 'reject', runId: 'run-1' } },
    ]);
  });

  it('stays under the Teams message size, cutting lines from the end with a note', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `finding ${i} ${'z'.repeat(100)}`);
    const card = renderCard({ title: 'Big', subtitle: null, facts: [], sections: [{ heading: null, lines }], notes: [], actions: [] });

    expect(Buffer.byteLength(JSON.stringify(card))).to.be.at.most(MAX_CARD_BYTES);
    expect(String(card.body.at(-1)!.text)).to.match(/✂️ \d+ more lines cut to stay within the Teams message size limit/);
    expect(card.body[1]!.text).to.equal(`finding 0 ${'z'.repeat(100)}`);
  });

  it('recognises only well-formed button values', () => {
    expect(isDecisionValue({ sreAction: 'approve', runId: 'run-1' })).to.equal(true);
    expect(isDecisionValue({ sreAction: 'delete', runId: 'run-1' })).to.equal(false);
    expect(isDecisionValue({ sreAction: 'reject', runId: '' })).to.equal(false);
    expect(isDecisionValue('approve')).to.equal(false);
  });
});
