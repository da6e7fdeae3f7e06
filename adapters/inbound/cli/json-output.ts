/**
 * JSON on stdout. Pretty on a terminal (a person reads it); compact when piped (a program reads
 * it, and a fleet report of 100,000 findings is 40% smaller and faster without indentation).
 *
 * A top-level member may be given lazily, and is then streamed:
 * - an iterable that is not an array (a generator of asset reports) is written element by element,
 *   each element built when reached and dropped once written;
 * - a function is called when its member is reached (a summary counted while the assets above it
 *   were written).
 * Large arrays are written element by element too. Writes honour backpressure, so neither the
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
  const pad2 = ' '.repeat(indent * 2);
  const colon = indent ? ': ' : ':';
  let first = true;
  await sink.add('{');
  for (const key of Object.keys(value)) {
    let v = (value as Record<string, unknown>)[key];
    if (typeof v === 'function') v = (v as () => unknown)();
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    await sink.add(`${first ? '' : ','}${nl}${pad1}${JSON.stringify(key)}${colon}`);
    first = false;
    if (isLazyList(v) || (Array.isArray(v) && v.length > 100)) {
      let n = 0;
      await sink.add('[');
      for (const el of v as Iterable<unknown>) {
        if (sink.gone) return;
        await sink.add(`${n++ ? ',' : ''}${nl}${pad2}${el === undefined || typeof el === 'function' ? 'null' : nested(el, indent, 2)}`);
      }
      await sink.add(n && indent ? `${nl}${pad1}]` : ']');
    } else await sink.add(nested(v, indent, 1));
    if (sink.gone) return;
  }
  await sink.add(first ? '}\n' : `${nl}}\n`);
  await sink.flush();
}
