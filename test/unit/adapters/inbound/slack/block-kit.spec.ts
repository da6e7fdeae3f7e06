import { expect } from 'chai';
import type { ChatDoc } from '../../../../../adapters/inbound/chat/chat-documents.js';
import { clampText, renderSlack, SLACK_LIMITS, slackMarkup } from '../../../../../adapters/inbound/slack/block-kit.js';

function doc(partial: Partial<ChatDoc>): ChatDoc {
  return { title: 'T', subtitle: null, facts: [], sections: [], notes: [], actions: [], ...partial };
}

describe('Block Kit rendering within Slack\'s limits', () => {
  it('cuts a long text at a line break and says how much was cut', () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const out = clampText(text, 3000);

    expect(out.length).to.be.at.most(3000);
    expect(out).to.match(/\n… _\([\d,]+ more characters cut\)_$/);
  });

  it('never cuts inside an escape', () => {
    const out = clampText(`${'a'.repeat(2957)}&amp;${'b'.repeat(100)}`, 3000);
    expect(out).to.not.match(/&am?…/);
  });

  it('splits a long section into texts of at most 3,000 characters and keeps every block count limit', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `finding ${i} ${'y'.repeat(500)}`);
    const facts = Array.from({ length: 14 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(2500) }));
    const notes = Array.from({ length: 13 }, (_, i) => `note ${i}`);
    const m = renderSlack(doc({ title: 'x'.repeat(300), facts, sections: [{ heading: 'Big', lines }], notes, actions: [{ action: 'approve', label: 'Approve', style: 'primary', runId: 'run-1', confirm: 'Sure?' }] }));

    expect(m.blocks.length).to.be.at.most(SLACK_LIMITS.blocks);
    const header = m.blocks[0] as { type: string; text: { text: string } };
    expect(header.type).to.equal('header');
    expect(header.text.text.length).to.be.at.most(150);
    for (const b of m.blocks as { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: unknown[] }[]) {
      if (b.text) expect(b.text.text.length).to.be.at.most(3000);
      for (const f of b.fields ?? []) expect(f.text.length).to.be.at.most(2000);
      expect((b.fields ?? []).length).to.be.at.most(10);
      expect((b.elements ?? []).length).to.be.at.most(10);
    }
    expect(m.blocks.at(-1)!.type, 'the buttons stay').to.equal('actions');
    const notice = m.blocks.at(-2) as { type: string; elements: { text: string }[] };
    expect(notice.type).to.equal('context');
    expect(notice.elements[0]!.text).to.match(/✂️ _\d+ more blocks .* cut to stay within Slack's 50-block limit/);
  });

  it('escapes data and turns Slack actor ids into mentions', () => {
    expect(slackMarkup.bold('a<b>&c')).to.equal('*a&lt;b&gt;&amp;c*');
    expect(slackMarkup.user('slack:U012AB3CD')).to.equal('<@U012AB3CD>');
    expect(slackMarkup.user('cli:alice')).to.equal('cli:alice');
  });
});
