/**
 * A notification as a Slack Block Kit message, within Slack's limits: at most 50 blocks, a
 * section's text at most 3,000 characters, a header 150, a button's text 75 (a list too long is
 * cut, saying how many lines were left out).
 */
import type { Notification } from '../../../ports/outbound/notifier.port.js';

export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, header: 150, buttonText: 75, fallbackText: 3000 } as const;

type Block = Record<string, unknown>;

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** Lines joined under `max` characters, with "… and N more" when some do not fit. */
export function fitLines(lines: readonly string[], max: number, bullet = '• '): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = `${bullet}${lines[i] ?? ''}\n`;
    const more = `… and ${lines.length - i} more`;
    if (out.length + line.length + (i < lines.length - 1 ? more.length + 12 : 0) > max) return `${out}${more}`;
    out += line;
  }
  return out.trimEnd();
}

export function renderBlockKit(n: Notification): { text: string; blocks: Block[] } {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(n.title, SLACK_LIMITS.header) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(n.summary, SLACK_LIMITS.sectionText) } },
  ];
  // Room for the sections, leaving one block for the buttons.
  const room = SLACK_LIMITS.blocks - blocks.length - (n.links.length ? 1 : 0);
  const sections = n.sections.slice(0, room);
  for (const s of sections) {
    const head = `*${s.title}* (${s.lines.length})\n`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: head + fitLines(s.lines, SLACK_LIMITS.sectionText - head.length) } });
  }
  if (n.links.length) {
    blocks.push({
      type: 'actions',
      elements: n.links.slice(0, 5).map((l, i) => ({ type: 'button', action_id: `link-${i}`, text: { type: 'plain_text', text: clip(l.label, SLACK_LIMITS.buttonText) }, url: l.url })),
    });
  }
  return { text: clip(`${n.title}: ${n.summary}`, SLACK_LIMITS.fallbackText), blocks };
}
