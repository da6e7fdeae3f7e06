/**
 * One synthetic Inspector2 finding per index, as the AWS CLI's list-findings output and an
 * Inspector findings report hold them: the generator the JSON splitter and findings report
 * benchmarks share. Findings cycle over 5,000 CVEs and 5,000 instances.
 */

/** The timestamp form of AWS CLI output (ISO 8601). */
const CLI_TIME = '2026-11-20T12:00:00.000Z';
/** The timestamp form of an Inspector findings report (`aws inspector2 create-findings-report`). */
export const REPORT_TIME = 'Wed Sep 04 16:59:44.356 UTC 2024';

export interface FindingOptions {
  /** firstObservedAt, lastObservedAt and updatedAt (default CLI_TIME). */
  readonly at?: string;
  /**
   * Texts with what a JSON scanner must step over: escaped quotes, backslashes, newlines,
   * non-ASCII characters, braces, brackets and commas inside strings (default plain prose).
   */
  readonly awkwardText?: boolean;
}

export function inspectorFinding(i: number, options: FindingOptions = {}): Record<string, unknown> {
  const t = options.at ?? CLI_TIME;
  const cve = `CVE-2024-${1000 + (i % 5000)}`;
  return {
    awsAccountId: '123456789012', findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${i.toString(16).padStart(32, '0')}`,
    type: 'PACKAGE_VULNERABILITY', severity: 'HIGH', status: 'ACTIVE', title: options.awkwardText ? `${cve} - openssl, "libssl" – naïve ✓` : `${cve} - openssl`,
    description: options.awkwardText
      ? 'A flaw was found in the package, which an attacker could use to cause a denial of service.\nPaths like C:\\Program Files\\x and {braces} [brackets], commas.'
      : 'A flaw was found in the package, which an attacker could use to cause a denial of service or run code with the privileges of the service.',
    firstObservedAt: t, lastObservedAt: t, updatedAt: t, inspectorScore: 7.5, fixAvailable: 'YES', exploitAvailable: 'NO', epss: { score: 0.0123 },
    inspectorScoreDetails: { adjustedCvss: { score: 7.5, scoreSource: 'NVD', scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', version: '3.1', adjustments: [] } },
    packageVulnerabilityDetails: {
      vulnerabilityId: cve, source: 'NVD', sourceUrl: 'https://nvd.nist.gov/', referenceUrls: ['https://www.cve.org/'],
      cvss: [{ baseScore: 7.5, scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', source: 'NVD', version: '3.1' }],
      vulnerablePackages: [{ name: 'openssl', version: '3.0.8', release: '1.amzn2023.0.4', epoch: 1, arch: 'X86_64', packageManager: 'OS', fixedInVersion: '1:3.0.8-1.amzn2023.0.12', remediation: 'dnf update openssl' }],
    },
    remediation: { recommendation: { text: 'None Provided' } },
    resources: [{ type: 'AWS_EC2_INSTANCE', id: `i-${(i % 5000).toString(16).padStart(17, '0')}`, partition: 'aws', region: 'us-east-1', details: { awsEc2Instance: { platform: 'AMAZON_LINUX_2023', type: 't3.micro' } } }],
  };
}
