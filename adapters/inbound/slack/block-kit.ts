/**
 * Chat documents as Block Kit, within Slack's limits: 50 blocks a message, 3,000 characters a
 * section text, 150 a header, 10 fields of 2,000, 10 context elements, 75 a button label.
 * Whatever does not fit is cut with a note saying what was cut, never dropped silently.
 */
import type { ChatDoc, DocAction, Markup } from '../chat/chat-documents.js';

export const SLACK_LIMITS = {
  blocks: 50,
  text: 3000,
  header: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  confirmTitle: 100,
  confirmText: 300,
  fallbackText: 3000,
} as const;

export interface PlainText { readonly type: 'plain_text'; readonly text: string; readonly emoji?: boolean }
export interface MrkdwnText { readonly type: 'mrkdwn'; readonly text: string }
export type TextObject = PlainText | MrkdwnText;

export interface Button {
  readonly type: 'button';
  readonly action_id: string;
  readonly text: PlainText;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: { readonly title: PlainText; readonly text: PlainText; readonly confirm: PlainText; readonly deny: PlainText };
}

export type Block =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'section'; readonly text?: MrkdwnText; readonly fields?: readonly MrkdwnText[] }
  | { readonly type: 'context'; readonly elements: readonly TextObject[] }
  | { readonly type: 'divider' }
  | { readonly type: 'actions'; readonly block_id?: string; readonly elements: readonly Button[] };

export interface SlackMessage {
  /** The notification and accessibility text. */
  readonly text: string;
  readonly blocks: readonly Block[];
}

/** The action ids of the decision buttons; the click comes back with the run id as its value. */
export const ACTION_IDS = { approve: 'sre_approve', reject: 'sre_reject' } as const;

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const slackMarkup: Markup = {
  text: escape,
  bold: (s) => `*${escape(s)}*`,
  code: (s) => `\`${escape(s).replace(/`/g, "'")}\``,
  italic: (s) => `_${escape(s)}_`,
  user: (id) => {
    const m = /^slack:([UW][A-Z0-9]+)$/.exec(id);
    return m ? `<@${m[1]}>` : escape(id);
  },
};

/**
 * Cuts a text to `max` characters, at a line break when one is near, and says how much went.
 * Never cuts inside an escape such as `&amp;`.
 */
export function clampText(s: string, max: number): string {
  if (s.length <= max) return s;
  const note = (k: number): string => `… _(${k.toLocaleString('en-US')} more characters cut)_`;
  let end = max - note(s.length).length - 1;
  const nl = s.lastIndexOf('\n', end);
  const atLine = nl > end * 0.6;
  if (atLine) end = nl;
  const amp = s.lastIndexOf('&', end);
  if (amp !== -1 && amp > end - 6 && !s.slice(amp, end).includes(';')) end = amp;
  return s.slice(0, end) + (atLine && s[end] === '\n' ? '\n' : '') + note(s.length - end);
}

function plain(text: string, max: number): PlainText {
  return { type: 'plain_text', text: text.length <= max ? text : `${text.slice(0, max - 1)}…`, emoji: true };
}

function mrkdwn(text: string, max: number = SLACK_LIMITS.text): MrkdwnText {
  return { type: 'mrkdwn', text: clampText(text, max) };
}

/** Lines grouped into section texts of at most 3,000 characters, a heading on the first. */
function sectionBlocks(heading: string | null, lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let current = heading ? `*${escape(heading)}*` : '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length <= SLACK_LIMITS.text || !current) {
      current = next;
      continue;
    }
    blocks.push({ type: 'section', text: mrkdwn(current) });
    current = line;
  }
  if (current) blocks.push({ type: 'section', text: mrkdwn(current) });
  return blocks;
}

function button(a: DocAction): Button {
  return {
    type: 'button',
    action_id: ACTION_IDS[a.action],
    text: plain(a.label, SLACK_LIMITS.buttonText),
    value: a.runId,
    style: a.style,
    ...(a.confirm
      ? { confirm: { title: plain(`${a.label}?`, SLACK_LIMITS.confirmTitle), text: plain(a.confirm, SLACK_LIMITS.confirmText), confirm: plain(a.label, 30), deny: plain('Cancel', 30) } }
      : {}),
  };
}

/** Keeps a message within 50 blocks: content is cut from the end, the buttons always stay. */
export function fitBlocks(blocks: readonly Block[]): Block[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return [...blocks];
  const actions = blocks.filter((b) => b.type === 'actions');
  const content = blocks.filter((b) => b.type !== 'actions');
  const keep = SLACK_LIMITS.blocks - actions.length - 1;
  const dropped = content.slice(keep);
  const sections = dropped.filter((b) => b.type === 'section').length;
  const notice: Block = {
    type: 'context',
    elements: [mrkdwn(`✂️ _${dropped.length} more blocks (${sections} sections of the list and the notes after it) cut to stay within Slack's ${SLACK_LIMITS.blocks}-block limit; the CLI or the HTTP API gives the whole answer._`)],
  };
  return [...content.slice(0, keep), notice, ...actions];
}

export function renderSlack(doc: ChatDoc): SlackMessage {
  const blocks: Block[] = [{ type: 'header', text: plain(doc.title, SLACK_LIMITS.header) }];
  if (doc.subtitle) blocks.push({ type: 'context', elements: [mrkdwn(doc.subtitle)] });
  for (let i = 0; i < doc.facts.length; i += SLACK_LIMITS.fields) {
    blocks.push({ type: 'section', fields: doc.facts.slice(i, i + SLACK_LIMITS.fields).map((f) => mrkdwn(`*${escape(f.label)}*\n${f.value}`, SLACK_LIMITS.fieldText)) });
  }
  for (const s of doc.sections) {
    if (s.lines.length === 0) continue;
    if (blocks.length > 1) blocks.push({ type: 'divider' });
    blocks.push(...sectionBlocks(s.heading, s.lines));
  }
  for (let i = 0; i < doc.notes.length; i += SLACK_LIMITS.contextElements) {
    blocks.push({ type: 'context', elements: doc.notes.slice(i, i + SLACK_LIMITS.contextElements).map((n) => mrkdwn(n)) });
  }
  if (doc.actions.length) blocks.push({ type: 'actions', block_id: 'sre_decision', elements: doc.actions.map(button) });
  return { text: clampText(doc.title, SLACK_LIMITS.fallbackText), blocks: fitBlocks(blocks) };
}
