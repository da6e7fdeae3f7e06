/**
 * JSON on stdout. Pretty on a terminal (a person reads it); compact when piped (a program reads
 * it, and a fleet report of 100,000 findings is 40% smaller and faster without indentation).
 *
 * A top-level member may be given lazily, and is then streamed:
 * - an iterable that is not an array (a generator of asset reports) is written element by element,
 *   each element built when reached and dropped once written;
 * - a function is called when its member is reached (a summary counted while the assets above it
 *   were written).
 * Large arrays are written element by element too, at the top level or inside an object or short
 * array near it (a plan's byDecision lists, its waves' instance ids). Writes honour backpressure, so neither the
 * document nor its string ever exists whole; the bytes are those of JSON.stringify(value, null,
 * indent) with the lazy members resolved. A reader that goes away (EPIPE: `| head`) ends the
 * output quietly.
 */
import type { Output } from './terminal.js';

interface Drainable {
  once?(event: 'drain' | 'close', listener: () => void): unknown;
  on?(event: 'error', listener: (err: Error) => void): unknown;
  removeListener?(event: 'drain' | 'close', listener: () => void): unknown;
}

const CHUNK = 1 << 20;

/** Writes with backpressure; stops (quietly) once the reader has gone. */
class Sink {
  private closed = false;
  private buf = '';

  constructor(private readonly out: Output & Drainable) {
    out.on?.('error', (err: Error) => {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      this.closed = true;
    });
  }

  get gone(): boolean {
    return this.closed;
  }

  async add(text: string): Promise<void> {
    this.buf += text;
    if (this.buf.length >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.buf;
    this.buf = '';
    if (this.closed || text === '') return;
    let ok: unknown;
    try {
      ok = this.out.write(text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') {
        this.closed = true;
        return;
      }
      throw e;
    }
    if (ok === false && typeof this.out.once === 'function') {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.removeListener?.('drain', done);
          this.out.removeListener?.('close', done);
          resolve();
        };
        this.out.once?.('drain', done);
        this.out.once?.('close', done);
      });
    }
  }
}

function isLazyList(v: unknown): v is Iterable<unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/** JSON.stringify(v, null, indent) of a value nested `depth` levels deep in the document. */
function nested(v: unknown, indent: number, depth: number): string {
  const text = JSON.stringify(v, null, indent || undefined) ?? 'null';
  return indent && depth > 0 ? text.replace(/\n/g, `\n${' '.repeat(indent * depth)}`) : text;
}

/** A list written element by element: lazy, or long. */
function streamed(v: unknown): boolean {
  return isLazyList(v) || (Array.isArray(v) && v.length > 100);
}

/** An object or a short array that holds a streamed list within `levels` levels (a plan's byDecision, its waves' ids). */
function holdsStreamed(v: unknown, levels: number): boolean {
  if (v === null || typeof v !== 'object' || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const m of Array.isArray(v) ? v : Object.values(v)) {
    if (streamed(m) || (levels > 1 && holdsStreamed(m, levels - 1))) return true;
  }
  return false;
}

const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * `v` nested `depth` levels deep, as JSON.stringify(…, indent) writes it there: a streamed list
 * element by element, an object or short array holding one member by member, anything else whole.
 */
async function writeValue(sink: Sink, v: unknown, indent: number, depth: number): Promise<void> {
  const nl = indent ? '\n' : '';
  const inner = ' '.repeat(indent * (depth + 1));
  const outer = ' '.repeat(indent * depth);
  if (streamed(v)) {
    let n = 0;
    await sink.add('[');
    for (const el of v as Iterable<unknown>) {
      if (sink.gone) return;
      await sink.add(`${n++ ? ',' : ''}${nl}${inner}${omitted(el) ? 'null' : nested(el, indent, depth + 1)}`);
    }
    await sink.add(n && indent ? `${nl}${outer}]` : ']');
    return;
  }
  if (!holdsStreamed(v, 2)) {
    await sink.add(nested(v, indent, depth));
    return;
  }
  if (Array.isArray(v)) {
    await sink.add('[');
    for (let i = 0; i < v.length; i++) {
      await sink.add(`${i ? ',' : ''}${nl}${inner}`);
      if (omitted(v[i])) await sink.add('null');
      else await writeValue(sink, v[i], indent, depth + 1);
      if (sink.gone) return;
    }
    await sink.add(`${nl}${outer}]`);
    return;
  }
  let first = true;
  await sink.add('{');
  for (const key of Object.keys(v as object)) {
    const m = (v as Record<string, unknown>)[key];
    if (omitted(m)) continue;
    await sink.add(`${first ? '' : ','}${nl}${inner}${JSON.stringify(key)}${indent ? ': ' : ':'}`);
    first = false;
    await writeValue(sink, m, indent, depth + 1);
    if (sink.gone) return;
  }
  await sink.add(first ? '}' : `${nl}${outer}}`);
}

export async function writeJson(out: Output & Drainable, value: unknown): Promise<void> {
  const indent = out.isTTY ? 2 : 0;
  const sink = new Sink(out);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isLazyList(value)) {
    await sink.add(`${nested(isLazyList(value) ? [...value] : value, indent, 0)}\n`);
    await sink.flush();
    return;
  }
  const nl = indent ? '\n' : '';
  const pad1 = ' '.repeat(indent);
  const colon = indent ? ': ' : ':';
  let first = true;
  await sink.add('{');
  for (const key of Object.keys(value)) {
    let v = (value as Record<string, unknown>)[key];
    if (typeof v === 'function') v = (v as () => unknown)();
    if (omitted(v)) continue;
    await sink.add(`${first ? '' : ','}${nl}${pad1}${JSON.stringify(key)}${colon}`);
    first = false;
    await writeValue(sink, v, indent, 1);
    if (sink.gone) return;
  }
  await sink.add(first ? '}\n' : `${nl}}\n`);
  await sink.flush();
}
