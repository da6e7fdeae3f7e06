/**
 * The rows of a FindingTable grouped by a key (each instance's findings), as linked lists held in
 * typed arrays: a "next row of the same group" column (4 bytes a row, in fixed blocks, so nothing
 * is copied as it grows) and each group's first row, last row and count (12 bytes a group). A
 * JavaScript array of row numbers per group cost its own header and 8 bytes an element plus the
 * slack it grows by (about 370 bytes for 20 rows).
 */

const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;
const END = -1;

/** Rows grouped by key, each group in the order its rows were added. Append-only. */
export class RowLists {
  readonly #groups = new Map<string, number>();
  /** Per row: the next row of its group, END for the last. */
  readonly #next: Int32Array[] = [];
  #first: Int32Array<ArrayBuffer> = new Int32Array(64);
  #last: Int32Array<ArrayBuffer> = new Int32Array(64);
  #count: Int32Array<ArrayBuffer> = new Int32Array(64);

  /** Each key's group number (for rowsOf and countOf). */
  get groups(): ReadonlyMap<string, number> {
    return this.#groups;
  }

  /** Adds `row` (a row number not added before) to the group of `key`. */
  add(key: string, row: number): void {
    if (!Number.isInteger(row) || row < 0) throw new RangeError(`RowLists: no row ${row}`);
    while (this.#next.length <= row >>> BLOCK_BITS) this.#next.push(new Int32Array(BLOCK));
    (this.#next[row >>> BLOCK_BITS] as Int32Array)[row & MASK] = END;
    const g = this.#groups.get(key);
    if (g === undefined) {
      const n = this.#groups.size;
      if (n === this.#first.length) this.#grow();
      this.#first[n] = row;
      this.#last[n] = row;
      this.#count[n] = 1;
      this.#groups.set(key, n);
      return;
    }
    const last = this.#last[g] as number;
    (this.#next[last >>> BLOCK_BITS] as Int32Array)[last & MASK] = row;
    this.#last[g] = row;
    this.#count[g] = (this.#count[g] as number) + 1;
  }

  /** The rows of group `g`, in the order added. */
  rowsOf(g: number): number[] {
    const n = this.countOf(g);
    const rows = new Array<number>(n);
    let row = this.#first[g] as number;
    for (let i = 0; i < n; i++) {
      rows[i] = row;
      row = (this.#next[row >>> BLOCK_BITS] as Int32Array)[row & MASK] as number;
    }
    return rows;
  }

  /** How many rows group `g` holds. */
  countOf(g: number): number {
    if (!Number.isInteger(g) || g < 0 || g >= this.#groups.size) throw new RangeError(`RowLists: no group ${g} (${this.#groups.size} groups)`);
    return this.#count[g] as number;
  }

  #grow(): void {
    const size = this.#first.length * 2;
    const grown = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.#first = grown(this.#first);
    this.#last = grown(this.#last);
    this.#count = grown(this.#count);
  }
}
