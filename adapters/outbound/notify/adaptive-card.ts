/**
 * A notification as an Adaptive Card (1.4) for Teams, within Teams' message size limit (about
 * 28 KB for the whole payload): lists are cut, saying how many lines were left out, until the
 * card fits.
 */
import type { Notification } from '../../../ports/outbound/notifier.port.js';
import { fitLines } from './block-kit.js';

/** Bytes of the JSON payload Teams accepts, with room for the envelope. */
export const TEAMS_CARD_BYTES = 27_000;

export function renderAdaptiveCard(n: Notification, maxBytes = TEAMS_CARD_BYTES): Record<string, unknown> {
  for (let perSection = 4000; ; perSection = Math.floor(perSection / 2)) {
    const card = {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: n.title, weight: 'Bolder', size: 'Medium', wrap: true },
        { type: 'TextBlock', text: n.summary, wrap: true },
        ...n.sections.flatMap((s) => [
          { type: 'TextBlock', text: `${s.title} (${s.lines.length})`, weight: 'Bolder', wrap: true, spacing: 'Medium' },
          { type: 'TextBlock', text: fitLines(s.lines, perSection, '- ').replace(/\n/g, '\n\n'), wrap: true },
        ]),
      ],
      actions: n.links.map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.url })),
    };
    if (Buffer.byteLength(JSON.stringify(card)) <= maxBytes || perSection < 100) return card;
  }
}

/** The message that carries a card (a workflow webhook or a Bot Framework activity). */
export function cardMessage(card: Record<string, unknown>): Record<string, unknown> {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}
