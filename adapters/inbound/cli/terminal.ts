/** Terminal output: colour only on a TTY (and never with NO_COLOR), aligned plain-text tables. */

export interface Output {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export type Colour = 'red' | 'yellow' | 'green' | 'cyan' | 'dim' | 'bold' | 'magenta';
const CODES: Record<Colour, [number, number]> = {
  red: [31, 39], yellow: [33, 39], green: [32, 39], cyan: [36, 39], magenta: [35, 39], dim: [2, 22], bold: [1, 22],
};

export class Style {
  constructor(readonly enabled: boolean) {}
  static for(out: Output, env: Readonly<Record<string, string | undefined>>): Style {
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return new Style(false);
    if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return new Style(true);
    return new Style(out.isTTY === true);
  }
  paint(c: Colour, s: string): string {
    if (!this.enabled) return s;
    const [on, off] = CODES[c];
    return `\u001b[${on}m${s}\u001b[${off}m`;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => string;
  readonly align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis. */
  readonly max?: number;
}

function cut(s: string, max: number | undefined): string {
  if (max === undefined || visibleLength(s) <= max) return s;
  const plain = s.replace(ANSI, '');
  return `${plain.slice(0, Math.max(0, max - 1))}…`;
}

/** Renders rows as aligned columns separated by two spaces; the header is bold on a TTY. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], style: Style): string {
  const cells = rows.map((r) => columns.map((c) => cut(c.cell(r), c.max)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => visibleLength(row[i] ?? ''))));
  const pad = (s: string, i: number): string => {
    const w = widths[i] ?? 0;
    const gap = ' '.repeat(Math.max(0, w - visibleLength(s)));
    return columns[i]?.align === 'right' ? gap + s : s + gap;
  };
  const lines = [style.paint('bold', columns.map((c, i) => pad(c.header, i)).join('  ').trimEnd())];
  for (const row of cells) lines.push(row.map((s, i) => pad(s, i)).join('  ').trimEnd());
  return lines.join('\n') + '\n';
}

/** "2026-11-23" from an ISO instant; "-" for null. */
export function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '-';
}

/** "2026-11-23 03:00" (UTC) from an ISO instant. */
export function minute(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '-';
}

export function yesNo(b: boolean | null): string {
  return b === null ? '?' : b ? 'yes' : 'no';
}

/** "1 instance", "2 instances": a count with its noun in the right number. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
