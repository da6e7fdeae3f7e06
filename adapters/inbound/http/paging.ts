/**
 * Cursor paging for the list routes, and their answers written piece by piece.
 *
 * A cursor is opaque to clients (base64url of JSON): the position of the next item, the filters
 * it was issued for (a digest), and the generation of the answer it pages through (when that
 * cached assessment started, else its generatedAt). Pages of one generation never skip or repeat
 * an item. When the cache has replaced the answer (a refresh after the TTL, or a write), a cursor
 * of the old generation is refused with 410 CURSOR_EXPIRED: the client starts again without one.
 * A cursor used with other filters than it was issued for is a 400 naming query.cursor.
 */
import { createHash } from 'node:crypto';
import { HttpError } from './http-errors.js';

export interface CursorState {
  /** Generation of the answer. */
  readonly g: string;
  /** Position of the next item. */
  readonly o: number;
  /** Digest of the filters. */
  readonly f: string;
}

export function filterDigest(filters: unknown): string {
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 12);
}

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

const invalid = (why: string): HttpError =>
  new HttpError(400, 'VALIDATION_FAILED', `query.cursor: ${why}`, { field: 'query.cursor' });

/**
 * The position a cursor points at in `generation` with `filters`.
 * @throws HttpError 400 (not a cursor, or other filters), 410 CURSOR_EXPIRED (another generation)
 */
export function decodeCursor(raw: string, generation: string, filters: string): number {
  let state: Partial<CursorState>;
  try {
    state = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<CursorState>;
  } catch {
    throw invalid('expected a cursor from a previous page (page.nextCursor)');
  }
  if (typeof state !== 'object' || state === null || typeof state.g !== 'string' || typeof state.f !== 'string' || !Number.isInteger(state.o) || (state.o as number) < 0) {
    throw invalid('expected a cursor from a previous page (page.nextCursor)');
  }
  if (state.f !== filters) throw invalid('this cursor was issued for other filters; repeat the filters of the first page');
  if (state.g !== generation) {
    throw new HttpError(410, 'CURSOR_EXPIRED', 'query.cursor: the fleet has been assessed again since this cursor was issued; start again without cursor', {
      field: 'query.cursor',
      issuedFor: state.g,
      current: generation,
    });
  }
  return state.o as number;
}

/** A list item's JSON: text now, or bytes later (an asset whose findings are held compressed, see assetJson). */
export type ItemJson = string | Promise<Uint8Array>;

/** Items whose JSON is being made ahead of the one being written (bounds the bytes held). */
const AHEAD = 4;
/** Bytes written between two turns of the event loop at most, when items come without waiting. */
const TURN_BYTES = 64 * 1024;

/**
 * `object` as JSON text in pieces, in its own key order: the array under `listKey` one item at a
 * time (replaced by `items`), then the remaining keys and `extra` (the page); the same text as
 * JSON.stringify of the object with that list. Each item's JSON comes from `write` (which may
 * make it elsewhere: a promise, started up to AHEAD items ahead), and the writer gives the event
 * loop a turn (setImmediate) whenever it has written TURN_BYTES without one. Read through a stream
 * (Readable.from), items are made as the response has room for them (backpressure; at most AHEAD
 * beyond), and /health and every other request are answered between items, whatever the page's size.
 */
export async function* jsonInPieces<T>(object: Record<string, unknown>, listKey: string, items: Iterable<T>, extra: Record<string, unknown>, write: (item: T) => ItemJson): AsyncGenerator<string | Uint8Array> {
  let sinceTurn = 0;
  const turn = async (): Promise<void> => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    sinceTurn = 0;
  };
  let first = true;
  const key = (k: string): string => `${first ? '{' : ','}${JSON.stringify(k)}:`;
  for (const [k, v] of Object.entries({ ...object, ...extra })) {
    if (v === undefined) continue;
    if (k !== listKey) {
      yield key(k) + JSON.stringify(v);
      first = false;
      continue;
    }
    yield `${key(k)}[`;
    first = false;
    const source = items[Symbol.iterator]();
    const ahead: ItemJson[] = [];
    const fill = (): void => {
      while (ahead.length < AHEAD) {
        const next = source.next();
        if (next.done === true) return;
        const made = write(next.value);
        // Settled later; a failure is met when its item is written (no unhandled rejection meanwhile).
        if (typeof made !== 'string') made.catch(() => undefined);
        ahead.push(made);
      }
    };
    fill();
    let n = 0;
    while (ahead.length > 0) {
      const made = ahead.shift() as ItemJson;
      fill();
      const text = typeof made === 'string' ? made : await made;
      if (typeof text === 'string') {
        yield n++ > 0 ? `,${text}` : text;
      } else {
        if (n++ > 0) yield ',';
        yield text;
      }
      sinceTurn += text.length;
      if (sinceTurn >= TURN_BYTES) await turn();
    }
    yield ']';
  }
  yield first ? '{}' : '}';
}

/** The path and query of the next page: the request's own, with cursor (and no offset). */
export function nextLink(path: string, query: Record<string, unknown>, cursor: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k === 'cursor' || k === 'offset' || v === undefined) continue;
    if (Array.isArray(v)) params.set(k, v.join(','));
    else params.set(k, String(v));
  }
  params.set('cursor', cursor);
  return `${path}?${params.toString()}`;
}
