/**
 * The compact resident form of many findings. A mapped Finding object costs about 1.5 KB on the
 * heap (its own copies of the title, ids, CVSS vectors and package names); a fleet of a million
 * findings cannot be held that way. A FindingTable keeps one row per finding instead:
 *
 * - numbers in Float64Array columns (observation instants, EPSS), NaN for null;
 * - everything that repeats across findings (title, advisory ids, the related ids, the CVSS
 *   records, the package list, the reachability details) as an index into an interning table, so
 *   each distinct value exists once whatever the number of findings;
 * - the fields that take few values (type, severity, status, the ARN's prefix of account and
 *   region, Inspector's score, the flags) as one index into a table of their combinations;
 * - the finding ARN, the one value unique per finding, as that interned prefix and its id: 16
 *   bytes when it is Inspector's 32 hex digits, else a string of its own.
 *
 * `get(row)` builds the Finding back on demand: every field equal to what was added (deep equal),
 * the repeating parts shared between the findings that have them (they are read-only). A row costs
 * 84 bytes with Inspector's hex ids (else 68 and the id's own string). Columns grow in fixed
 * blocks, so nothing is over-allocated by more than one block. No reason, no report text and no raw Inspector JSON is kept: those are
 * rebuilt from these facts when printed.
 */
import { fixAvailableFrom, type Cvss, type Finding, type VulnerablePackage } from './fleet-facts.js';

const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;

// Float64 columns, per row.
const F_EPSS = 0;
const F_EXPLOIT_AT = 1;
const F_FIRST = 2;
const F_LAST = 3;
const F_WIDTH = 4;

// Uint32 columns, per row (indexes into interning tables; 0 stands for null where null is allowed).
const U_INSTANCE = 0;
/** The row's Shape: the few-valued fields, interned together. */
const U_SHAPE = 1;
const U_TITLE = 2;
const U_VULN = 3;
const U_RELATED = 4;
const U_ADJUSTED = 5;
const U_CVSS = 6;
const U_PACKAGES = 7;
const U_REACH = 8;
const U_WIDTH = 9;

/** In a Shape's flags: fixAvailable (2 bits), exploitAvailable (1 bit), and whether the ARN's id is held as 16 bytes (1 bit). */
const FLAG_EXPLOIT = 4;
const FLAG_HEX_ID = 8;

/**
 * The fields that take few values across a fleet (type, severity, status, the ARN's prefix of
 * account and region, Inspector's score, the flags), kept once per distinct combination: one
 * column a row instead of six.
 */
interface Shape {
  readonly type: string;
  readonly severity: string;
  readonly status: string;
  readonly arnPrefix: string;
  readonly inspectorScore: number | null;
  readonly flags: number;
}

const FIX: readonly Finding['fixAvailable'][] = ['YES', 'NO', 'PARTIAL'];

/** Inspector's finding ids: 32 lowercase hex digits, held as 16 bytes instead of a 32-character string. */
const HEX_ID = /^[0-9a-f]{32}$/;
const ID_BYTES = 16;
const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : c - 87;
}

/** Each distinct value once; index 0 is reserved for null. */
class Interner<T> {
  private readonly ids = new Map<string, number>();
  readonly values: (T | null)[] = [null];

  /** The index of `value` (added when new); `key` identifies it (the value itself for strings). */
  idOf(key: string, value: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(key, id);
    }
    return id;
  }

  get size(): number {
    return this.values.length - 1;
  }
}

/** A string interner: the key is the string itself. */
class Strings extends Interner<string> {
  of(s: string | null): number {
    return s === null ? 0 : this.idOf(s, s);
  }
  at(id: number): string | null {
    return this.values[id] ?? null;
  }
}

function num(v: number | null): number {
  return v === null ? NaN : v;
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

function cvssKey(c: Cvss): string {
  return `${c.baseScore}\u0000${c.scoringVector}\u0000${c.version}`;
}

/** Flat copies: a row never holds a reference to the object it was read from. */
function copyCvss(c: Cvss): Cvss {
  return { baseScore: c.baseScore, scoringVector: c.scoringVector, version: c.version };
}

/**
 * A finding from a source written in JavaScript (a library user's adapter) may leave out a field
 * that can be empty (the custom-findings-source example has no relatedVulnerabilities): the
 * neutral value stands in for it, as the assessment always treated it, instead of a TypeError here.
 */
function withDefaults(f: Finding): Finding {
  const loose = f as Partial<Finding> & Pick<Finding, 'findingArn' | 'instanceId' | 'firstObservedAt' | 'lastObservedAt'>;
  if (
    loose.relatedVulnerabilities !== undefined && loose.cvss !== undefined && loose.packages !== undefined && loose.adjustedCvss !== undefined &&
    loose.networkReachability !== undefined && loose.title !== undefined && loose.vulnerabilityId !== undefined && loose.inspectorScore !== undefined &&
    loose.epss !== undefined && loose.lastKnownExploitAt !== undefined && FIX.includes(loose.fixAvailable as Finding['fixAvailable'])
  ) {
    return f;
  }
  return {
    ...f,
    title: loose.title ?? null,
    vulnerabilityId: loose.vulnerabilityId ?? null,
    relatedVulnerabilities: loose.relatedVulnerabilities ?? [],
    inspectorScore: loose.inspectorScore ?? null,
    adjustedCvss: loose.adjustedCvss ?? null,
    cvss: loose.cvss ?? [],
    epss: loose.epss ?? null,
    lastKnownExploitAt: loose.lastKnownExploitAt ?? null,
    packages: loose.packages ?? [],
    // Unknown or left out: from the packages, as the Inspector mapper infers it (a value outside
    // the three would otherwise corrupt the row's flags).
    fixAvailable: FIX.includes(loose.fixAvailable as Finding['fixAvailable']) ? (loose.fixAvailable as Finding['fixAvailable']) : fixAvailableFrom(loose.packages ?? []),
    networkReachability: loose.networkReachability ?? null,
  };
}

/** Many findings in compact rows (see the file's comment). Append-only. */
export class FindingTable implements Iterable<Finding> {
  private readonly f64: Float64Array[] = [];
  private readonly u32: Uint32Array[] = [];
  /** The ARN ids that are 32 hex digits, as 16 bytes a row (see HEX_ID). */
  private readonly ids: Uint8Array[] = [];
  /** The other ARN ids (not Inspector's usual form), by row. */
  private readonly otherIds = new Map<number, string>();
  private rows = 0;

  private readonly strings = new Strings();
  private readonly related = new Interner<readonly string[]>();
  // adjustedCvss and cvss[] are interned apart: the assessment tells them apart by identity
  // (which record the CVSS was read from), so an adjusted record is never shared with a cvss[] one.
  private readonly adjusted = new Interner<Cvss>();
  private readonly cvss = new Interner<readonly Cvss[]>();
  private readonly packages = new Interner<readonly VulnerablePackage[]>();
  private readonly reach = new Interner<NonNullable<Finding['networkReachability']>>();
  private readonly shapes = new Interner<Shape>();

  /** How many findings the table holds. */
  get size(): number {
    return this.rows;
  }

  /** How many distinct strings are interned (titles, ids, package names, ARN prefixes ...). */
  get distinctStrings(): number {
    return this.strings.size;
  }

  /**
   * Adds a finding; returns its row. Nothing of `f` is retained: its strings are interned and its
   * nested objects copied once per distinct value.
   */
  add(given: Finding): number {
    const f = withDefaults(given);
    const row = this.rows;
    const block = row >>> BLOCK_BITS;
    if (block === this.f64.length) {
      this.f64.push(new Float64Array(BLOCK * F_WIDTH));
      this.u32.push(new Uint32Array(BLOCK * U_WIDTH));
      this.ids.push(new Uint8Array(BLOCK * ID_BYTES));
    }
    const d = this.f64[block] as Float64Array;
    const u = this.u32[block] as Uint32Array;
    const fo = (row & MASK) * F_WIDTH;
    const uo = (row & MASK) * U_WIDTH;
    d[fo + F_EPSS] = num(f.epss);
    d[fo + F_EXPLOIT_AT] = num(f.lastKnownExploitAt);
    d[fo + F_FIRST] = f.firstObservedAt;
    d[fo + F_LAST] = f.lastObservedAt;

    const s = this.strings;
    u[uo + U_INSTANCE] = s.of(f.instanceId);
    u[uo + U_TITLE] = s.of(f.title);
    u[uo + U_VULN] = s.of(f.vulnerabilityId);
    u[uo + U_RELATED] = f.relatedVulnerabilities.length === 0 ? 0
      : this.related.idOf(f.relatedVulnerabilities.join('\u0000'), f.relatedVulnerabilities.map((id) => s.at(s.of(id)) as string));
    u[uo + U_ADJUSTED] = f.adjustedCvss === null ? 0 : this.adjusted.idOf(cvssKey(f.adjustedCvss), copyCvss(f.adjustedCvss));
    u[uo + U_CVSS] = f.cvss.length === 0 ? 0 : this.cvss.idOf(f.cvss.map(cvssKey).join('\u0001'), f.cvss.map(copyCvss));
    u[uo + U_PACKAGES] = f.packages.length === 0 ? 0
      : this.packages.idOf(
        f.packages.map((p) => `${p.name}\u0000${p.version}\u0000${p.fixedInVersion}`).join('\u0001'),
        f.packages.map((p) => ({ name: s.at(s.of(p.name)) as string, version: s.at(s.of(p.version)), fixedInVersion: s.at(s.of(p.fixedInVersion)) })),
      );
    const r = f.networkReachability;
    u[uo + U_REACH] = r === null ? 0
      : this.reach.idOf(`${r.openPortRange?.begin}\u0000${r.openPortRange?.end}\u0000${r.protocol}`, {
        openPortRange: r.openPortRange === null ? null : { begin: r.openPortRange.begin, end: r.openPortRange.end },
        protocol: r.protocol,
      });
    // The ARN's account, region and "finding/" repeat; only the id after the last "/" is unique,
    // and Inspector's ids are hex: 16 bytes, where a string of 32 characters costs some 56.
    const cut = f.findingArn.lastIndexOf('/') + 1;
    const prefix = s.of(f.findingArn.slice(0, cut));
    const id = f.findingArn.slice(cut);
    let hex = 0;
    if (HEX_ID.test(id)) {
      const bytes = this.ids[block] as Uint8Array;
      const o = (row & MASK) * ID_BYTES;
      for (let i = 0; i < ID_BYTES; i++) bytes[o + i] = (hexDigit(id.charCodeAt(2 * i)) << 4) | hexDigit(id.charCodeAt(2 * i + 1));
      hex = FLAG_HEX_ID;
    } else {
      this.otherIds.set(row, flat(id));
    }
    const flags = FIX.indexOf(f.fixAvailable) | (f.exploitAvailable ? FLAG_EXPLOIT : 0) | hex;
    const type = s.of(f.type);
    const severity = s.of(f.severity);
    const status = s.of(f.status);
    u[uo + U_SHAPE] = this.shapes.idOf(`${type},${severity},${status},${prefix},${flags},${Object.is(f.inspectorScore, -0) ? '-0' : (f.inspectorScore ?? 'n')}`, {
      type: s.at(type) as string, severity: s.at(severity) as string, status: s.at(status) as string, arnPrefix: s.at(prefix) as string,
      inspectorScore: f.inspectorScore, flags,
    });
    this.rows++;
    return row;
  }

  /** The instance id of a row, without building the finding. */
  instanceIdOf(row: number): string {
    this.check(row);
    return this.strings.at((this.u32[row >>> BLOCK_BITS] as Uint32Array)[(row & MASK) * U_WIDTH + U_INSTANCE] as number) as string;
  }

  /** The status of a row, without building the finding. */
  statusOf(row: number): string {
    return this.shapeOf(row).status;
  }

  /** lastObservedAt of a row, without building the finding. */
  lastObservedAtOf(row: number): number {
    this.check(row);
    return (this.f64[row >>> BLOCK_BITS] as Float64Array)[(row & MASK) * F_WIDTH + F_LAST] as number;
  }

  /** The finding of `row`, built from its row (deep equal to the one added). */
  get(row: number): Finding {
    this.check(row);
    const d = this.f64[row >>> BLOCK_BITS] as Float64Array;
    const u = this.u32[row >>> BLOCK_BITS] as Uint32Array;
    const fo = (row & MASK) * F_WIDTH;
    const uo = (row & MASK) * U_WIDTH;
    const s = this.strings;
    const shape = this.shapes.values[u[uo + U_SHAPE] as number] as Shape;
    const flags = shape.flags;
    const exploitAt = orNull(d[fo + F_EXPLOIT_AT] as number);
    return {
      findingArn: shape.arnPrefix + ((flags & FLAG_HEX_ID) !== 0 ? this.hexId(row) : (this.otherIds.get(row) as string)),
      type: shape.type,
      severity: shape.severity,
      status: shape.status,
      title: s.at(u[uo + U_TITLE] as number),
      instanceId: s.at(u[uo + U_INSTANCE] as number) as string,
      vulnerabilityId: s.at(u[uo + U_VULN] as number),
      relatedVulnerabilities: this.related.values[u[uo + U_RELATED] as number] ?? [],
      inspectorScore: shape.inspectorScore,
      adjustedCvss: this.adjusted.values[u[uo + U_ADJUSTED] as number] ?? null,
      cvss: this.cvss.values[u[uo + U_CVSS] as number] ?? [],
      epss: orNull(d[fo + F_EPSS] as number),
      exploitAvailable: (flags & FLAG_EXPLOIT) !== 0,
      lastKnownExploitAt: exploitAt,
      fixAvailable: FIX[flags & 3] as Finding['fixAvailable'],
      packages: this.packages.values[u[uo + U_PACKAGES] as number] ?? [],
      firstObservedAt: d[fo + F_FIRST] as number,
      lastObservedAt: d[fo + F_LAST] as number,
      networkReachability: this.reach.values[u[uo + U_REACH] as number] ?? null,
    };
  }

  /** Every finding, in the order added. */
  *[Symbol.iterator](): Iterator<Finding> {
    for (let row = 0; row < this.rows; row++) yield this.get(row);
  }

  private shapeOf(row: number): Shape {
    this.check(row);
    return this.shapes.values[(this.u32[row >>> BLOCK_BITS] as Uint32Array)[(row & MASK) * U_WIDTH + U_SHAPE] as number] as Shape;
  }

  private hexId(row: number): string {
    const bytes = this.ids[row >>> BLOCK_BITS] as Uint8Array;
    const o = (row & MASK) * ID_BYTES;
    let id = '';
    for (let i = 0; i < ID_BYTES; i++) id += HEX_PAIRS[bytes[o + i] as number];
    return id;
  }

  private check(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows) throw new RangeError(`FindingTable: no row ${row} (size ${this.rows})`);
  }
}

/**
 * A copy of `s` that holds no reference to a larger string: a slice of a long string may keep the
 * whole parent alive (V8 sliced strings), here the full ARN next to its suffix.
 */
function flat(s: string): string {
  return s.length > 12 ? (JSON.parse(JSON.stringify(s)) as string) : s;
}
