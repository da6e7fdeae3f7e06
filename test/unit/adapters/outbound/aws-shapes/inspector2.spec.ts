import { expect } from 'chai';
import { mapFinding, findingResourceTags, ShapeError } from '../../../../../adapters/outbound/aws-shapes/index.js';
import { SourceError } from '../../../../../domain/errors.js';

const VECTOR = 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** A ListFindings entry as the AWS CLI prints it; override what the test is about. */
function rawFinding(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    awsAccountId: '123456789012',
    findingArn: 'arn:aws:inspector2:us-east-1:123456789012:finding/abc',
    type: 'PACKAGE_VULNERABILITY',
    severity: 'HIGH',
    status: 'ACTIVE',
    title: 'CVE-2024-6387 - openssh, openssh-server',
    inspectorScore: 8.1,
    inspectorScoreDetails: { adjustedCvss: { adjustments: [], cvssSource: 'NVD', score: 8.1, scoreSource: 'NVD', scoringVector: VECTOR, version: '3.1' } },
    packageVulnerabilityDetails: {
      vulnerabilityId: 'CVE-2024-6387',
      source: 'NVD',
      cvss: [{ baseScore: 8.1, scoringVector: VECTOR, source: 'NVD', version: '3.1' }],
      vulnerablePackages: [
        { name: 'openssh', epoch: 0, version: '8.7p1', release: '8.amzn2023.0.4', arch: 'X86_64', packageManager: 'OS', fixedInVersion: '0:8.7p1-8.amzn2023.0.11' },
        { name: 'openssl', epoch: 1, version: '3.0.8', release: '1.amzn2023.0.4', packageManager: 'OS', fixedInVersion: 'NotAvailable' },
      ],
    },
    exploitAvailable: 'YES',
    exploitabilityDetails: { lastKnownExploitAt: '2026-11-01T00:00:00.000000+00:00' },
    fixAvailable: 'PARTIAL',
    epss: { score: 0.38 },
    firstObservedAt: '2026-09-01T10:00:00.000000+00:00',
    lastObservedAt: '2026-11-20T08:00:00.000000+00:00',
    resources: [{ type: 'AWS_EC2_INSTANCE', id: 'i-0aaa000000000001', partition: 'aws', region: 'us-east-1', tags: { Name: 'web-1' } }],
    ...over,
  };
}

describe('mapFinding (Inspector2 ListFindings)', () => {
  it('maps every field the domain reads', () => {
    const f = mapFinding(rawFinding(), '$.findings[0]');

    expect(f).to.deep.equal({
      findingArn: 'arn:aws:inspector2:us-east-1:123456789012:finding/abc',
      type: 'PACKAGE_VULNERABILITY',
      severity: 'HIGH',
      status: 'ACTIVE',
      title: 'CVE-2024-6387 - openssh, openssh-server',
      instanceId: 'i-0aaa000000000001',
      vulnerabilityId: 'CVE-2024-6387',
      relatedVulnerabilities: [],
      inspectorScore: 8.1,
      adjustedCvss: { baseScore: 8.1, scoringVector: VECTOR, version: '3.1' },
      cvss: [{ baseScore: 8.1, scoringVector: VECTOR, version: '3.1' }],
      epss: 0.38,
      exploitAvailable: true,
      lastKnownExploitAt: Date.parse('2026-11-01T00:00:00Z'),
      fixAvailable: 'PARTIAL',
      packages: [
        { name: 'openssh', version: '8.7p1-8.amzn2023.0.4', fixedInVersion: '0:8.7p1-8.amzn2023.0.11' },
        // Inspector2 writes "NotAvailable" when no fixed version exists; the epoch is kept when non-zero.
        { name: 'openssl', version: '1:3.0.8-1.amzn2023.0.4', fixedInVersion: null },
      ],
      firstObservedAt: Date.parse('2026-09-01T10:00:00Z'),
      lastObservedAt: Date.parse('2026-11-20T08:00:00Z'),
      networkReachability: null,
    });
  });

  it('maps relatedVulnerabilities (a Windows KB lists its CVEs there), and refuses a non-string entry by path', () => {
    const pvd = (rawFinding().packageVulnerabilityDetails as Record<string, unknown>);
    const kb = mapFinding(rawFinding({ packageVulnerabilityDetails: { ...pvd, vulnerabilityId: 'KB5023697', relatedVulnerabilities: ['CVE-2023-21768', ' CVE-2023-23415 '] } }), '$');

    expect(kb?.vulnerabilityId).to.equal('KB5023697');
    expect(kb?.relatedVulnerabilities).to.deep.equal(['CVE-2023-21768', 'CVE-2023-23415']);
    expect(() => mapFinding(rawFinding({ packageVulnerabilityDetails: { ...pvd, relatedVulnerabilities: [7] } }), '$')).to.throw(/\$\.packageVulnerabilityDetails\.relatedVulnerabilities\[0\]/);
  });

  it('accepts ISO strings, epoch seconds (the API) and Date objects (the SDK) for timestamps', () => {
    const iso = mapFinding(rawFinding({ firstObservedAt: '2026-09-01T10:00:00Z' }), '$');
    const seconds = mapFinding(rawFinding({ firstObservedAt: Date.parse('2026-09-01T10:00:00Z') / 1000 }), '$');
    const date = mapFinding(rawFinding({ firstObservedAt: new Date('2026-09-01T10:00:00Z') }), '$');

    expect(iso?.firstObservedAt).to.equal(Date.parse('2026-09-01T10:00:00Z'));
    expect(seconds?.firstObservedAt).to.equal(iso?.firstObservedAt);
    expect(date?.firstObservedAt).to.equal(iso?.firstObservedAt);
  });

  it('takes the instance from the AWS_EC2_INSTANCE resource, wherever it is in resources[]', () => {
    const f = mapFinding(rawFinding({ resources: [{ type: 'AWS_ECR_REPOSITORY', id: 'repo' }, { type: 'AWS_EC2_INSTANCE', id: 'i-0bbb000000000002' }] }), '$');

    expect(f?.instanceId).to.equal('i-0bbb000000000002');
  });

  it('skips (returns null for) findings on ECR, Lambda or Azure resources, not an error', () => {
    expect(mapFinding(rawFinding({ resources: [{ type: 'AWS_ECR_CONTAINER_IMAGE', id: 'arn:aws:ecr:...' }] }), '$')).to.equal(null);
    expect(mapFinding(rawFinding({ resources: [{ type: 'AWS_LAMBDA_FUNCTION', id: 'arn:aws:lambda:...' }] }), '$')).to.equal(null);
    expect(mapFinding(rawFinding({ provider: 'AZURE', resources: [{ type: 'AZURE_VIRTUAL_MACHINE', id: '/subscriptions/x' }] }), '$')).to.equal(null);
  });

  it('tolerates unknown fields and keeps unknown enum values as strings', () => {
    const f = mapFinding(rawFinding({ severity: 'SEVERE', status: 'ARCHIVED', type: 'NEW_KIND', somethingNew: { deep: [1] }, fixAvailable: 'SOON' }), '$');

    expect(f?.severity).to.equal('SEVERE');
    expect(f?.status).to.equal('ARCHIVED');
    expect(f?.type).to.equal('NEW_KIND');
    // An unknown fixAvailable is derived from the packages: one fixed, one not.
    expect(f?.fixAvailable).to.equal('PARTIAL');
  });

  it('maps every status, so the caller decides what counts', () => {
    for (const status of ['ACTIVE', 'SUPPRESSED', 'CLOSED']) expect(mapFinding(rawFinding({ status }), '$')?.status).to.equal(status);
  });

  it('maps a NETWORK_REACHABILITY finding (no package details, no fixAvailable)', () => {
    const raw = rawFinding({
      type: 'NETWORK_REACHABILITY',
      packageVulnerabilityDetails: undefined,
      inspectorScore: undefined,
      inspectorScoreDetails: undefined,
      exploitAvailable: undefined,
      exploitabilityDetails: undefined,
      fixAvailable: undefined,
      epss: undefined,
      networkReachabilityDetails: { networkPath: { steps: [] }, openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' },
    });

    const f = mapFinding(raw, '$');

    expect(f?.networkReachability).to.deep.equal({ openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' });
    expect(f?.vulnerabilityId).to.equal(null);
    expect(f?.packages).to.deep.equal([]);
    expect(f?.fixAvailable).to.equal('PARTIAL');
    expect(f?.exploitAvailable).to.equal(false);
  });

  it('refuses a wrong shape with the JSON path, what was expected and what was found', () => {
    const raw = rawFinding({ resources: [{ type: 'AWS_EC2_INSTANCE', id: 42 }] });

    const err = catchError(() => mapFinding(raw, '$.findings[12]'));

    expect(err).to.be.instanceOf(ShapeError).and.instanceOf(SourceError);
    expect(err).to.include({ jsonPath: '$.findings[12].resources[0].id', expected: 'a string', found: 'the number 42', service: 'inspector2', code: 'SOURCE_SHAPE' });
    expect(err.message).to.equal('$.findings[12].resources[0].id: expected a string, found the number 42');
  });

  it('names missing required fields and wrong nested types', () => {
    expect(catchError(() => mapFinding(rawFinding({ firstObservedAt: undefined }), '$')).message)
      .to.equal('$.firstObservedAt: expected a timestamp (ISO 8601 string, epoch seconds or Date), found nothing');
    expect(catchError(() => mapFinding(rawFinding({ lastObservedAt: 'yesterday' }), '$')).message)
      .to.equal('$.lastObservedAt: expected a timestamp (ISO 8601 string, epoch seconds or Date), found the string "yesterday"');
    expect(catchError(() => mapFinding(rawFinding({ resources: 'i-0aaa' }), '$')).message)
      .to.equal('$.resources: expected an array, found the string "i-0aaa"');
    const badCvss = rawFinding({ packageVulnerabilityDetails: { vulnerabilityId: 'CVE-1', cvss: [{ baseScore: '9.8' }] } });
    expect(catchError(() => mapFinding(badCvss, '$.findings[3]')).message)
      .to.equal('$.findings[3].packageVulnerabilityDetails.cvss[0].baseScore: expected a number, found the string "9.8"');
  });

  it('reads the tags Inspector2 copied onto the EC2 resource', () => {
    expect(findingResourceTags(rawFinding(), '$')).to.deep.equal({ Name: 'web-1' });
    expect(findingResourceTags(rawFinding({ resources: [{ type: 'AWS_LAMBDA_FUNCTION', id: 'f' }] }), '$')).to.equal(null);
  });
});

function catchError(fn: () => unknown): ShapeError {
  try {
    fn();
  } catch (e) {
    return e as ShapeError;
  }
  throw new Error('expected an error');
}
