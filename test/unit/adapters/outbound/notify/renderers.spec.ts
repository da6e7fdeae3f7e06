import { expect } from 'chai';
import { renderAdaptiveCard, TEAMS_CARD_BYTES } from '../../../../../adapters/outbound/notify/adaptive-card.js';
import { renderBlockKit, SLACK_LIMITS } from '../../../../../adapters/outbound/notify/block-kit.js';
import { renderPlainText } from '../../../../../adapters/outbound/notify/plain-text.js';
import type { Notification } from '../../../../../ports/outbound/notifier.port.js';

/** A digest of a large change set: 60 sections of 5,000 lines of 120 characters. */
function large(): Notification {
  const lines = Array.from({ length: 5000 }, (_, i) => `CVE-2026-${String(10000 + i)} on host-${i} (i-0${i.toString(16).padStart(16, '0')}): act, KEV, due 2026-11-2${i % 10} [ssvc, kev]`);
  return {
    kind: 'digest',
    title: `SRE ops daily digest ${'x'.repeat(300)}`,
    summary: 'y'.repeat(5000),
    sections: Array.from({ length: 60 }, (_, s) => ({ title: `Section ${s}`, lines })),
    links: [{ label: 'Open the plan', url: 'https://ops.example.com/plan' }, { label: 'Request a run', url: 'https://ops.example.com/runs/new' }],
  };
}

describe('notification renderers keep to the platforms\' limits', () => {
  it('Block Kit: at most 50 blocks, sections under 3,000 characters, the buttons kept, the cut said', () => {
    const { text, blocks } = renderBlockKit(large());

    expect(blocks.length).to.be.at.most(SLACK_LIMITS.blocks);
    expect(text.length).to.be.at.most(SLACK_LIMITS.fallbackText);
    for (const b of blocks) {
      const t = (b.text as { text?: string } | undefined)?.text ?? '';
      expect(t.length).to.be.at.most(b.type === 'header' ? SLACK_LIMITS.header : SLACK_LIMITS.sectionText);
    }
    expect(blocks.at(-1)?.type).to.equal('actions');
    expect(JSON.stringify(blocks)).to.match(/… and \d+ more/).and.include('https://ops.example.com/runs/new');
  });

  it('Adaptive Card: the payload under Teams\' limit, with the buttons', () => {
    const card = renderAdaptiveCard(large());

    expect(Buffer.byteLength(JSON.stringify(card))).to.be.at.most(TEAMS_CARD_BYTES);
    expect((card.actions as unknown[]).length).to.equal(2);
    expect(JSON.stringify(card)).to.match(/… and \d+ more/);
  });

  it('plain text for SNS: subject at most 100 characters, body under 256 KB', () => {
    const { subject, body } = renderPlainText(large());

    expect(subject.length).to.be.at.most(100);
    expect(Buffer.byteLength(body)).to.be.below(256 * 1024);
  });

  it('a small message is rendered whole', () => {
    const n: Notification = { kind: 'alert', title: 'SRE ops alert', summary: 'one', sections: [{ title: 'Newly SSVC act', lines: ['CVE-1 on web-1 is now SSVC act'] }], links: [] };

    expect(JSON.stringify(renderBlockKit(n).blocks)).to.include('CVE-1 on web-1 is now SSVC act').and.not.match(/more/);
    expect(JSON.stringify(renderAdaptiveCard(n))).to.include('CVE-1 on web-1 is now SSVC act');
  });
});
