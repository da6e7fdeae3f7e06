/** Inspector2 ListFindings `findings[]` entries to domain Findings. */
import { fixAvailableFrom, type Cvss, type Finding, type FixAvailable, type VulnerablePackage } from '../../../domain/fleet-facts.js';
import type { JsonObject, ShapeContext } from './read.js';
import {
  asObject, fail, isObject, optArray, optNumber, optObject, optString, optTimestamp, reqArray, reqString, reqTimestamp, readTagMap,
} from './read.js';

const CTX: ShapeContext = { service: 'inspector2', operation: 'ListFindings' };

/** The resources[].type this tool assesses; Inspector2 also reports ECR, Lambda, code and Azure resources. */
export const EC2_RESOURCE_TYPE = 'AWS_EC2_INSTANCE';

/** Inspector2 writes this in fixedInVersion when no fixed version exists. */
const NOT_AVAILABLE = 'NotAvailable';

/**
 * Maps one ListFindings `findings[]` entry. Every status and type is mapped (the caller filters);
 * unknown enum values are carried as strings.
 * @param path JSON path of `raw`, for errors, e.g. `$.findings[12]`.
 * @returns null when the finding is on no EC2 instance (an ECR image, a Lambda function ...).
 * @throws ShapeError when a field has the wrong JSON type or a required one is missing.
 */
export function mapFinding(raw: unknown, path: string): Finding | null {
  const f = asObject(CTX, raw, path);
  const resources = reqArray(CTX, f, 'resources', path);
  let instanceId: string | null = null;
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    if (!isObject(r)) fail(CTX, `${path}.resources[${i}]`, 'an object', r);
    if (r.type === EC2_RESOURCE_TYPE) {
      instanceId = reqString(CTX, r, 'id', `${path}.resources[${i}]`);
      break;
    }
    // Other resource types are skipped, but their type must still be a string.
    if (typeof r.type !== 'string') fail(CTX, `${path}.resources[${i}].type`, 'a string', r.type);
  }
  if (instanceId === null) return null;

  const pvd = optObject(CTX, f, 'packageVulnerabilityDetails', path);
  const pvdPath = `${path}.packageVulnerabilityDetails`;
  const cvss = pvd === null ? [] : mapCvssList(optArray(CTX, pvd, 'cvss', pvdPath), `${pvdPath}.cvss`);
  const packages = pvd === null ? [] : mapPackages(optArray(CTX, pvd, 'vulnerablePackages', pvdPath), `${pvdPath}.vulnerablePackages`);

  const scoreDetails = optObject(CTX, f, 'inspectorScoreDetails', path);
  const adjusted = scoreDetails === null ? null : optObject(CTX, scoreDetails, 'adjustedCvss', `${path}.inspectorScoreDetails`);
  const epss = optObject(CTX, f, 'epss', path);
  const exploitability = optObject(CTX, f, 'exploitabilityDetails', path);
  const reach = optObject(CTX, f, 'networkReachabilityDetails', path);

  return {
    findingArn: reqString(CTX, f, 'findingArn', path),
    type: reqString(CTX, f, 'type', path),
    severity: reqString(CTX, f, 'severity', path),
    status: reqString(CTX, f, 'status', path),
    title: optString(CTX, f, 'title', path),
    instanceId,
    vulnerabilityId: pvd === null ? null : optString(CTX, pvd, 'vulnerabilityId', pvdPath),
    relatedVulnerabilities: pvd === null ? [] : mapRelated(optArray(CTX, pvd, 'relatedVulnerabilities', pvdPath), `${pvdPath}.relatedVulnerabilities`),
    inspectorScore: optNumber(CTX, f, 'inspectorScore', path),
    adjustedCvss: adjusted === null ? null : mapCvss(adjusted, `${path}.inspectorScoreDetails.adjustedCvss`, 'score'),
    cvss,
    epss: epss === null ? null : optNumber(CTX, epss, 'score', `${path}.epss`),
    exploitAvailable: optString(CTX, f, 'exploitAvailable', path) === 'YES',
    lastKnownExploitAt: exploitability === null ? null : optTimestamp(CTX, exploitability, 'lastKnownExploitAt', `${path}.exploitabilityDetails`),
    fixAvailable: mapFixAvailable(optString(CTX, f, 'fixAvailable', path), packages),
    packages,
    firstObservedAt: reqTimestamp(CTX, f, 'firstObservedAt', path),
    lastObservedAt: reqTimestamp(CTX, f, 'lastObservedAt', path),
    networkReachability: reach === null ? null : mapReachability(reach, `${path}.networkReachabilityDetails`),
  };
}

/**
 * The tags Inspector2 copied onto the finding's EC2 resource (a map, not a tag list), or null when
 * it has no EC2 resource. Useful when the inventory is not at hand.
 */
export function findingResourceTags(raw: unknown, path: string): Record<string, string> | null {
  const f = asObject(CTX, raw, path);
  const resources = reqArray(CTX, f, 'resources', path);
  for (let i = 0; i < resources.length; i++) {
    const r = asObject(CTX, resources[i], `${path}.resources[${i}]`);
    if (r.type !== EC2_RESOURCE_TYPE) continue;
    const tags = optObject(CTX, r, 'tags', `${path}.resources[${i}]`);
    return tags === null ? {} : readTagMap(CTX, tags, `${path}.resources[${i}].tags`);
  }
  return null;
}

/** packageVulnerabilityDetails.relatedVulnerabilities: the CVEs of a KB, the ALAS ids of a CVE ... */
function mapRelated(list: readonly unknown[], path: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    if (typeof id !== 'string') fail(CTX, `${path}[${i}]`, 'a string', id);
    if (id.trim() !== '') out.push(id.trim());
  }
  return out;
}

function mapCvssList(list: readonly unknown[], path: string): Cvss[] {
  const out: Cvss[] = [];
  for (let i = 0; i < list.length; i++) out.push(mapCvss(asObject(CTX, list[i], `${path}[${i}]`), `${path}[${i}]`, 'baseScore'));
  return out;
}

// cvss[] entries name the score `baseScore`; inspectorScoreDetails.adjustedCvss names it `score`.
function mapCvss(o: JsonObject, path: string, scoreKey: 'baseScore' | 'score'): Cvss {
  return {
    baseScore: optNumber(CTX, o, scoreKey, path),
    scoringVector: optString(CTX, o, 'scoringVector', path),
    version: optString(CTX, o, 'version', path),
  };
}

function mapPackages(list: readonly unknown[], path: string): VulnerablePackage[] {
  const out: VulnerablePackage[] = [];
  for (let i = 0; i < list.length; i++) {
    const p = asObject(CTX, list[i], `${path}[${i}]`);
    const name = p.name;
    if (typeof name !== 'string') fail(CTX, `${path}[${i}].name`, 'a string', name);
    const version = p.version;
    if (version !== undefined && version !== null && typeof version !== 'string') fail(CTX, `${path}[${i}].version`, 'a string', version);
    const release = p.release;
    if (release !== undefined && release !== null && typeof release !== 'string') fail(CTX, `${path}[${i}].release`, 'a string', release);
    const epoch = p.epoch;
    if (epoch !== undefined && epoch !== null && typeof epoch !== 'number') fail(CTX, `${path}[${i}].epoch`, 'a number', epoch);
    const fixed = p.fixedInVersion;
    if (fixed !== undefined && fixed !== null && typeof fixed !== 'string') fail(CTX, `${path}[${i}].fixedInVersion`, 'a string', fixed);
    out.push({
      name,
      version: installedVersion(version, release, epoch),
      fixedInVersion: fixed === undefined || fixed === null || fixed === NOT_AVAILABLE || fixed === '' ? null : fixed,
    });
  }
  return out;
}

// Inspector2 splits the installed version into epoch, version and release; fixedInVersion is
// already "epoch:version-release". The installed one is rebuilt the way rpm prints it (epoch
// only when non-zero) so a person can compare the two.
function installedVersion(version: string | null | undefined, release: string | null | undefined, epoch: number | null | undefined): string | null {
  if (version === undefined || version === null || version === '') return null;
  const head = epoch ? `${epoch}:${version}` : version;
  return release ? `${head}-${release}` : head;
}

// AWS documents YES, NO and PARTIAL. When the field is absent (network reachability findings) or
// has a value this code does not know, it is derived from the packages; with no packages it is
// PARTIAL, which claims neither that a patch exists nor that none does.
function mapFixAvailable(value: string | null, packages: readonly VulnerablePackage[]): FixAvailable {
  if (value === 'YES' || value === 'NO' || value === 'PARTIAL') return value;
  return fixAvailableFrom(packages);
}

function mapReachability(o: JsonObject, path: string): NonNullable<Finding['networkReachability']> {
  const range = optObject(CTX, o, 'openPortRange', path);
  let openPortRange: { begin: number; end: number } | null = null;
  if (range !== null) {
    const begin = optNumber(CTX, range, 'begin', `${path}.openPortRange`);
    const end = optNumber(CTX, range, 'end', `${path}.openPortRange`);
    if (begin !== null) openPortRange = { begin, end: end ?? begin };
  }
  return { openPortRange, protocol: optString(CTX, o, 'protocol', path) };
}
