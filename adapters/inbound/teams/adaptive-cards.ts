/**
 * Chat documents as Adaptive Cards (version 1.4, what Teams renders everywhere). Teams caps a
 * message at about 28 KB; a card that would exceed it loses lines from the end, with a note
 * saying how many.
 */
import type { ChatDoc, DocAction, Markup } from '../chat/chat-documents.js';

export const CARD_VERSION = '1.4';
/** Under Teams' 28 KB per message, with room for the activity around the card. */
export const MAX_CARD_BYTES = 24_000;

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: string;
  readonly msteams: { readonly width: 'Full' };
  readonly body: readonly Record<string, unknown>[];
  readonly actions?: readonly Record<string, unknown>[];
}

/** What an Action.Submit button sends back as the activity's value. */
export interface DecisionValue {
  readonly sreAction: 'approve' | 'reject';
  readonly runId: string;
}

export function isDecisionValue(v: unknown): v is DecisionValue {
  const o = v as Partial<DecisionValue> | null;
  return typeof o === 'object' && o !== null && (o.sreAction === 'approve' || o.sreAction === 'reject') && typeof o.runId === 'string' && o.runId.length > 0;
}

/** Teams' markdown has bold and italics but no inline code; ids read fine as they are. */
export const teamsMarkup: Markup = {
  text: (s) => s,
  bold: (s) => `**${s}**`,
  code: (s) => s,
  italic: (s) => `_${s}_`,
  user: (id) => id.replace(/^teams:/, ''),
};

function text(t: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  // A single line break does not show in Teams' markdown; a blank line does.
  return { type: 'TextBlock', text: t.replace(/\n/g, '\n\n'), wrap: true, ...extra };
}

function action(a: DocAction): Record<string, unknown> {
  const data: DecisionValue = { sreAction: a.action, runId: a.runId };
  return { type: 'Action.Submit', title: a.label, style: a.style === 'primary' ? 'positive' : 'destructive', data };
}

function build(doc: ChatDoc, sections: ChatDoc['sections'], cutLines: number): AdaptiveCard {
  const body: Record<string, unknown>[] = [text(doc.title, { size: 'Large', weight: 'Bolder' })];
  if (doc.subtitle) body.push(text(doc.subtitle, { isSubtle: true, size: 'Small', spacing: 'None' }));
  if (doc.facts.length) body.push({ type: 'FactSet', facts: doc.facts.map((f) => ({ title: f.label, value: f.value.replace(/\n/g, '\n\n') })) });
  for (const s of sections) {
    if (s.lines.length === 0) continue;
    if (s.heading) body.push(text(s.heading, { weight: 'Bolder', spacing: 'Medium', separator: true }));
    for (const line of s.lines) body.push(text(line, { spacing: 'Small' }));
  }
  const notes = cutLines > 0 ? [...doc.notes, `✂️ ${cutLines} more lines cut to stay within the Teams message size limit; the CLI or the HTTP API gives the whole answer.`] : doc.notes;
  for (const n of notes) body.push(text(n, { isSubtle: true, size: 'Small', spacing: 'Small' }));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    msteams: { width: 'Full' },
    body,
    ...(doc.actions.length ? { actions: doc.actions.map(action) } : {}),
  };
}

/** The card for a document, cut from the end of its last sections until it fits. */
export function renderCard(doc: ChatDoc): AdaptiveCard {
  const sections = doc.sections.map((s) => ({ heading: s.heading, lines: [...s.lines] }));
  let cut = 0;
  let card = build(doc, sections, cut);
  while (Buffer.byteLength(JSON.stringify(card)) > MAX_CARD_BYTES) {
    const last = [...sections].reverse().find((s) => s.lines.length > 0);
    if (!last) break;
    last.lines.pop();
    cut++;
    card = build(doc, sections, cut);
  }
  return card;
}
