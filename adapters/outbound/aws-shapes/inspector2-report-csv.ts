/**
 * The CSV findings report of Inspector2 (CreateFindingsReport, reportFormat CSV; the console's
 * export): one finding a row, columns named in the header row ("Finding ARN", "Resource ID",
 * "Severity", ...). Columns are found by name, so their order and columns this reader does not
 * use do not matter.
 */
import type { Cvss, Finding, FixAvailable, VulnerablePackage } from '../../../domain/fleet-facts.js';
import type { Instant } from '../../../domain/time.js';
import { EC2_RESOURCE_TYPE } from './inspector2.js';
import { parseTimestamp } from './read.js';
import { describeValue } from './shape-error.js';

/** The columns every row needs. */
export const REQUIRED_CSV_COLUMNS = ['Finding ARN', 'Resource ID', 'Resource Type', 'Severity', 'Status', 'Finding Type', 'First Seen', 'Last Seen'] as const;

/** A row that cannot be read: which column, what was expected. */
export class CsvShapeError extends Error {
  constructor(readonly column: string, readonly expected: string, readonly found: string) {
    super(`column "${column}": expected ${expected}, found ${found}`);
    this.name = 'CsvShapeError';
  }
}

/** Column positions by name, from the header row. */
export type CsvColumns = ReadonlyMap<string, number>;

/**
 * The header row's columns.
 * @throws CsvShapeError naming the first required column that is missing.
 */
export function csvColumns(header: readonly string[]): CsvColumns {
  const columns = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim();
    if (!columns.has(key)) columns.set(key, i);
  });
  for (const name of REQUIRED_CSV_COLUMNS) {
    if (!columns.has(name)) throw new CsvShapeError(name, 'a column of that name in the header row (an Inspector2 CSV findings report)', 'no such column');
  }
  return columns;
}

/**
 * One row as a Finding, or null when it is not about an EC2 instance.
 * @throws CsvShapeError naming the column whose value is missing or malformed.
 */
export function mapReportCsvRow(row: readonly string[], columns: CsvColumns): Finding | null {
  const get = (name: string): string => {
    const i = columns.get(name);
    return i === undefined ? '' : (row[i] ?? '').trim();
  };
  const req = (name: string): string => {
    const v = get(name);
    if (v === '') throw new CsvShapeError(name, 'a value', 'an empty field');
    return v;
  };
  const time = (name: string, required: boolean): Instant | null => {
    const v = get(name);
    if (v === '' && !required) return null;
    const t = parseTimestamp(v);
    if (t === null) throw new CsvShapeError(name, 'a timestamp (ISO 8601, or as Inspector writes it: "Wed Sep 04 16:59:44.356 UTC 2024")', v === '' ? 'an empty field' : describeValue(v));
    return t;
  };
  const num = (name: string): number | null => {
    const v = get(name);
    if (v === '') return null;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new CsvShapeError(name, 'a number', describeValue(v));
    return x;
  };

  if (req('Resource Type') !== EC2_RESOURCE_TYPE) return null;
  const packages = csvPackages(get('Affected Packages'), get('Package Installed Version'), get('Fixed in Version'));
  const cvss: Cvss[] = [];
  for (const [score, vector] of [['NVD CVSS3 Score', 'NVD CVSS3 Vector'], ['Vendor CVSS3 Score', 'Vendor CVSS3 Vector'], ['NVD CVSS2 Score', 'NVD CVSS2 Vector'], ['Vendor CVSS2 Score', 'Vendor CVSS2 Vector']] as const) {
    const s = num(score);
    const v = get(vector);
    if (s === null && v === '') continue;
    cvss.push({ baseScore: s, scoringVector: v || null, version: cvssVersion(v, score.includes('CVSS2') ? '2.0' : '3.1') });
  }
  const inspectorScore = num('Inspector Score');
  const inspectorVector = get('Inspector Score Vector');
  const ports = portRange(get('Port Range'));
  const type = enumValue(req('Finding Type'));
  return {
    findingArn: req('Finding ARN'),
    type,
    severity: enumValue(req('Severity')),
    status: enumValue(req('Status')),
    title: get('Title') || null,
    instanceId: req('Resource ID'),
    vulnerabilityId: get('Vulnerability Id') || null,
    relatedVulnerabilities: [],
    inspectorScore,
    adjustedCvss: inspectorScore === null && inspectorVector === '' ? null : { baseScore: inspectorScore, scoringVector: inspectorVector || null, version: cvssVersion(inspectorVector, '3.1') },
    cvss,
    epss: num('Epss Score'),
    exploitAvailable: get('Exploit Available').toUpperCase() === 'YES',
    lastKnownExploitAt: time('Last Exploited At', false),
    fixAvailable: fixAvailable(get('Fix Available'), packages),
    packages,
    firstObservedAt: time('First Seen', true) as Instant,
    lastObservedAt: time('Last Seen', true) as Instant,
    networkReachability: type === 'NETWORK_REACHABILITY' ? { openPortRange: ports, protocol: null } : null,
  };
}

// "PACKAGE_VULNERABILITY" or "Package Vulnerability": the API's enum value either way.
function enumValue(v: string): string {
  return v.trim().toUpperCase().replace(/[\s-]+/g, '_');
}

function cvssVersion(vector: string, fallback: string): string {
  const m = /^CVSS:(\d+(?:\.\d+)?)\//.exec(vector);
  return m?.[1] ?? fallback;
}

// The report lists a finding's packages, their installed versions and their fixed versions as
// comma-separated lists, one entry per package in the same order.
function csvPackages(names: string, versions: string, fixed: string): VulnerablePackage[] {
  if (names === '') return [];
  const split = (s: string): string[] => (s === '' ? [] : s.split(',').map((x) => x.trim()));
  const v = split(versions);
  const f = split(fixed);
  return split(names).map((name, i) => {
    const fix = f[i] ?? '';
    return { name, version: v[i] || null, fixedInVersion: fix === '' || fix === 'NotAvailable' ? null : fix };
  });
}

function fixAvailable(value: string, packages: readonly VulnerablePackage[]): FixAvailable {
  const v = value.toUpperCase();
  if (v === 'YES' || v === 'NO' || v === 'PARTIAL') return v;
  if (packages.length === 0) return 'PARTIAL';
  const fixed = packages.filter((p) => p.fixedInVersion !== null).length;
  return fixed === packages.length ? 'YES' : fixed === 0 ? 'NO' : 'PARTIAL';
}

// "22 - 22", "22-22" or "22".
function portRange(v: string): { begin: number; end: number } | null {
  const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(v);
  if (m === null) return null;
  const begin = Number(m[1]);
  return { begin, end: m[2] === undefined ? begin : Number(m[2]) };
}
