/**
 * Charts as inline SVG drawn on the server: no chart library, no script, nothing fetched. Each
 * chart is an image with a <title> and <desc> (role="img", aria-labelledby), and the page shows
 * the same numbers in a table beside it, so a screen reader or a text browser misses nothing.
 * Colours come from classes in console.css (the Content-Security-Policy allows no inline style).
 */
import { escapeHtml, trusted, type Html } from './html.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

let chartSeq = 0;
/** Ids unique within a page (a page holds a few charts). */
function chartId(prefix: string): string {
  chartSeq = (chartSeq + 1) % 1_000_000;
  return `${prefix}-${chartSeq}`;
}

const num = (n: number): string => (Math.round(n * 10) / 10).toString();

function frame(id: string, width: number, height: number, title: string, desc: string, body: string, cls: string): Html {
  return trusted(
    `<svg class="chart ${cls}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" focusable="false">` +
      `<title id="${id}-t">${escapeHtml(title)}</title><desc id="${id}-d">${escapeHtml(desc)}</desc>${body}</svg>`,
  );
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** A class for its colour (decision-patch-now, ssvc-act ...). */
  readonly kind: string;
}

/** Horizontal bars, one per item, labelled with its name and count. */
export function barChart(bars: readonly Bar[], title: string): Html {
  const id = chartId('bars');
  const row = 26;
  const labelW = 130;
  const width = 480;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * row + 4;
  const body = bars.map((b, i) => {
    const y = i * row + 4;
    const w = Math.max(b.value > 0 ? 2 : 0, ((width - labelW - 50) * b.value) / max);
    return `<text class="label" x="${labelW - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(b.label)}</text>` +
      `<rect class="bar ${escapeHtml(b.kind)}" x="${labelW}" y="${y}" width="${num(w)}" height="${row - 8}"/>` +
      `<text class="value" x="${num(labelW + w + 6)}" y="${y + 15}">${b.value}</text>`;
  }).join('');
  const desc = bars.map((b) => `${b.label}: ${b.value}`).join('; ');
  return frame(id, width, height, title, desc, body, 'bar-chart');
}

export interface Point {
  /** ms since the epoch. */
  readonly t: number;
  readonly v: number;
}

export interface Band {
  readonly start: number;
  readonly end: number;
  /** quiet-window (the chosen window), quiet-window-past (the same hours in earlier weeks). */
  readonly kind: string;
  readonly label: string;
}

export interface LineChartInput {
  readonly points: readonly Point[];
  readonly from: number;
  readonly to: number;
  /** Top of the y axis; default the largest value (at least 1). */
  readonly yMax?: number;
  readonly unit: string;
  readonly bands?: readonly Band[];
  /** A vertical "now" line. */
  readonly now?: number;
  readonly title: string;
  readonly desc: string;
  /** A class for the line (cpu, status). */
  readonly kind: string;
}

/** A line over time with day ticks, shaded bands (the quiet window) and a "now" marker. */
export function lineChart(input: LineChartInput): Html {
  const id = chartId('line');
  const width = 720;
  const height = 220;
  const left = 44;
  const right = 10;
  const top = 10;
  const bottom = 30;
  const span = Math.max(1, input.to - input.from);
  const yMax = input.yMax ?? Math.max(1, ...input.points.map((p) => p.v));
  const x = (t: number): number => left + ((t - input.from) / span) * (width - left - right);
  const y = (v: number): number => top + (1 - Math.min(v, yMax) / yMax) * (height - top - bottom);
  const parts: string[] = [];
  for (const b of input.bands ?? []) {
    const x0 = Math.max(left, x(b.start));
    const x1 = Math.min(width - right, x(b.end));
    if (x1 <= x0) continue;
    parts.push(`<rect class="band ${escapeHtml(b.kind)}" x="${num(x0)}" y="${top}" width="${num(x1 - x0)}" height="${height - top - bottom}"><title>${escapeHtml(b.label)}</title></rect>`);
  }
  // Horizontal grid at 0, half and the top; day ticks at 00:00 UTC.
  for (const f of [0, 0.5, 1]) {
    const v = yMax * f;
    parts.push(`<line class="grid" x1="${left}" x2="${width - right}" y1="${num(y(v))}" y2="${num(y(v))}"/>`,
      `<text class="tick" x="${left - 4}" y="${num(y(v) + 4)}" text-anchor="end">${num(v)}</text>`);
  }
  const days = Math.ceil(span / DAY_MS);
  const step = days > 10 ? 2 : 1;
  for (let d = Math.ceil(input.from / DAY_MS) * DAY_MS, i = 0; d <= input.to; d += DAY_MS, i++) {
    if (i % step !== 0) continue;
    const label = new Date(d).toISOString().slice(5, 10);
    parts.push(`<line class="grid" x1="${num(x(d))}" x2="${num(x(d))}" y1="${top}" y2="${height - bottom}"/>`,
      `<text class="tick" x="${num(x(d))}" y="${height - bottom + 16}" text-anchor="middle">${label}</text>`);
  }
  const pts = input.points.filter((p) => p.t >= input.from && p.t <= input.to);
  if (pts.length) parts.push(`<path class="line ${escapeHtml(input.kind)}" d="${pts.map((p, i) => `${i ? 'L' : 'M'}${num(x(p.t))} ${num(y(p.v))}`).join('')}"/>`);
  if (input.now !== undefined && input.now >= input.from && input.now <= input.to) {
    parts.push(`<line class="now" x1="${num(x(input.now))}" x2="${num(x(input.now))}" y1="${top}" y2="${height - bottom}"/>`,
      `<text class="tick" x="${num(x(input.now) - 3)}" y="${top + 10}" text-anchor="end">now</text>`);
  }
  parts.push(`<text class="tick" x="4" y="${top + 4}">${escapeHtml(input.unit)}</text>`);
  return frame(id, width, height, input.title, input.desc, parts.join(''), 'line-chart');
}

export interface TimelineRow {
  readonly label: string;
  readonly bars: readonly { readonly start: number; readonly end: number; readonly kind: string; readonly label: string }[];
  /** Due dates: a diamond, "overdue" when before the start of the axis. */
  readonly marks: readonly { readonly t: number; readonly kind: string; readonly label: string }[];
}

/** Rows on a shared time axis: windows as bars, due dates as marks (clamped to the edges, labelled), a "now" line. */
export function timeline(rows: readonly TimelineRow[], from: number, to: number, title: string, desc: string, now?: number): Html {
  const id = chartId('timeline');
  const width = 760;
  const labelW = 150;
  const row = 22;
  const top = 20;
  const height = top + rows.length * row + 10;
  const span = Math.max(1, to - from);
  const x = (t: number): number => labelW + (Math.min(Math.max(t, from), to) - from) / span * (width - labelW - 14);
  const parts: string[] = [];
  const days = Math.ceil(span / DAY_MS);
  const step = Math.max(1, Math.ceil(days / 10));
  for (let d = Math.ceil(from / DAY_MS) * DAY_MS, i = 0; d <= to; d += DAY_MS, i++) {
    if (i % step !== 0) continue;
    parts.push(`<line class="grid" x1="${num(x(d))}" x2="${num(x(d))}" y1="${top - 4}" y2="${height - 6}"/>`,
      `<text class="tick" x="${num(x(d))}" y="${top - 8}" text-anchor="middle">${new Date(d).toISOString().slice(5, 10)}</text>`);
  }
  if (now !== undefined && now > from && now < to) {
    parts.push(`<line class="now" x1="${num(x(now))}" x2="${num(x(now))}" y1="${top - 4}" y2="${height - 6}"/>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * row;
    parts.push(`<text class="label" x="${labelW - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(r.label)}</text>`);
    for (const b of r.bars) {
      const x0 = x(b.start);
      const w = Math.max(3, x(b.end) - x0);
      parts.push(`<rect class="bar ${escapeHtml(b.kind)}" x="${num(x0)}" y="${y + 3}" width="${num(w)}" height="${row - 8}"><title>${escapeHtml(b.label)}</title></rect>`);
    }
    for (const m of r.marks) {
      const cx = x(m.t);
      const cy = y + row / 2 - 1;
      parts.push(`<path class="mark ${escapeHtml(m.kind)}" d="M${num(cx)} ${num(cy - 6)}L${num(cx + 6)} ${num(cy)}L${num(cx)} ${num(cy + 6)}L${num(cx - 6)} ${num(cy)}Z"><title>${escapeHtml(m.label)}</title></path>`);
    }
  });
  return frame(id, width, height, title, desc, parts.join(''), 'timeline');
}

/** The occurrences of a weekly window [start, end) shifted back by whole weeks into [from, to). */
export function weeklyOccurrences(start: number, end: number, from: number, to: number): { start: number; end: number }[] {
  const week = 7 * DAY_MS;
  const out: { start: number; end: number }[] = [];
  for (let s = start - week, e = end - week; e > from; s -= week, e -= week) if (s < to) out.unshift({ start: s, end: e });
  return out;
}
