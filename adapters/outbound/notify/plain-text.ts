/** A notification as plain text (SNS to e-mail): subject at most 100 characters, body well under SNS's 256 KB. */
import type { Notification } from '../../../ports/outbound/notifier.port.js';
import { fitLines } from './block-kit.js';

export const SNS_SUBJECT = 100;
export const SNS_BODY_BYTES = 200_000;

export function renderPlainText(n: Notification): { subject: string; body: string } {
  const subject = n.title.replace(/[\r\n]+/g, ' ').slice(0, SNS_SUBJECT);
  const per = Math.floor(SNS_BODY_BYTES / Math.max(1, n.sections.length) / 2);
  const body = [
    n.summary,
    ...n.sections.map((s) => `\n${s.title} (${s.lines.length})\n${fitLines(s.lines, per, '  - ')}`),
    ...(n.links.length ? ['', ...n.links.map((l) => `${l.label}: ${l.url}`)] : []),
  ].join('\n');
  return { subject, body };
}
