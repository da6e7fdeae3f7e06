import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import { Inspector2Client, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import type { ListFindingsCommandInput } from '@aws-sdk/client-inspector2';
import { Inspector2FindingsSource } from '../../../adapters/outbound/aws/inspector2-findings-source.js';
import { SourceError } from '../../../domain/errors.js';
import type { Finding } from '../../../domain/fleet-facts.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { awsError, motoClients, SECONDS, wireFinding } from './aws-fixtures.js';

async function collect(it: AsyncIterable<Finding>): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of it) out.push(f);
  return out;
}

describe('Inspector2FindingsSource', () => {
  describe('against moto', () => {
    const moto = useMoto();

    it('maps seeded findings, keeping ACTIVE findings on EC2 instances only', async () => {
      await moto.server.post('/moto-api/static/inspector2/findings-results', {
        results: [
          [
            wireFinding('i-0aaaaaaaaaaaaaaa1', 1),
            wireFinding('i-0aaaaaaaaaaaaaaa1', 2, { status: 'SUPPRESSED' }),
            wireFinding('i-0bbbbbbbbbbbbbbb2', 3, { type: 'NETWORK_REACHABILITY', packageVulnerabilityDetails: undefined,
              networkReachabilityDetails: { openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' } }),
            wireFinding('repo/image', 4, { resources: [{ type: 'AWS_ECR_CONTAINER_IMAGE', id: 'repo/image' }] }),
          ],
        ],
      });
      const { inspector2 } = motoClients(moto.endpoint);

      const findings = await collect(new Inspector2FindingsSource(inspector2).listActiveFindings());

      expect(findings.map((f) => [f.instanceId, f.type])).to.deep.equal([
        ['i-0aaaaaaaaaaaaaaa1', 'PACKAGE_VULNERABILITY'],
        ['i-0bbbbbbbbbbbbbbb2', 'NETWORK_REACHABILITY'],
      ]);
      const [pkg, net] = findings as [Finding, Finding];
      expect(pkg).to.deep.include({
        vulnerabilityId: 'CVE-2024-6001',
        severity: 'HIGH',
        epss: 0.42,
        exploitAvailable: true,
        lastKnownExploitAt: SECONDS('2026-10-01T00:00:00Z') * 1000,
        fixAvailable: 'YES',
        firstObservedAt: Date.parse('2026-10-20T08:00:00Z'),
      });
      expect(pkg.packages).to.deep.equal([{ name: 'openssh-server', version: '8.7p1-38.el9', fixedInVersion: '0:8.7p1-38.el9_4.1' }]);
      expect(net.networkReachability).to.deep.equal({ openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' });
    });

    it('keeps only the findings of the instances asked for', async () => {
      await moto.server.post('/moto-api/static/inspector2/findings-results', {
        results: [[wireFinding('i-0aaaaaaaaaaaaaaa1', 1), wireFinding('i-0bbbbbbbbbbbbbbb2', 2)]],
      });
      const { inspector2 } = motoClients(moto.endpoint);

      const findings = await collect(new Inspector2FindingsSource(inspector2).listActiveFindings({ instanceIds: ['i-0bbbbbbbbbbbbbbb2'] }));

      expect(findings.map((f) => f.instanceId)).to.deep.equal(['i-0bbbbbbbbbbbbbbb2']);
    });
  });

  // moto returns every queued finding in one page and never a nextToken, and ignores filters:
  // pagination and the filters sent are checked against aws-sdk-client-mock.
  describe('paging and filters (aws-sdk-client-mock)', () => {
    const client = new Inspector2Client({ region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const mock = mockClient(client);
    afterEach(() => mock.reset());
    after(() => mock.restore());

    it('follows nextToken to the last page with maxResults 100, ACTIVE and EC2 filters', async () => {
      mock
        .on(ListFindingsCommand)
        .resolvesOnce({ findings: [wireFinding('i-01', 1), wireFinding('i-01', 2)] as never, nextToken: 't1' })
        .resolvesOnce({ findings: [wireFinding('i-02', 3)] as never, nextToken: 't2' })
        .resolvesOnce({ findings: [wireFinding('i-03', 4)] as never });

      const findings = await collect(new Inspector2FindingsSource(client).listActiveFindings());

      expect(findings.map((f) => f.findingArn.split('/')[1])).to.deep.equal(['i-01-1', 'i-01-2', 'i-02-3', 'i-03-4']);
      const inputs = mock.commandCalls(ListFindingsCommand).map((c) => c.args[0].input);
      expect(inputs.map((i) => i.nextToken)).to.deep.equal([undefined, 't1', 't2']);
      expect(inputs[0]).to.deep.include({ maxResults: 100 });
      expect(inputs[0]?.filterCriteria).to.deep.equal({
        findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }],
      });
    });

    it('streams: the first page is yielded before the second is requested', async () => {
      mock
        .on(ListFindingsCommand)
        .resolvesOnce({ findings: [wireFinding('i-01', 1)] as never, nextToken: 't1' })
        .resolvesOnce({ findings: [wireFinding('i-02', 2)] as never });

      const iterator = new Inspector2FindingsSource(client).listActiveFindings()[Symbol.asyncIterator]();
      const first = await iterator.next();

      expect(first.value?.instanceId).to.equal('i-01');
      expect(mock.commandCalls(ListFindingsCommand)).to.have.length(1);
      await iterator.return?.(undefined);
    });

    it('filters by resourceId in batches of 10 ids', async () => {
      mock.on(ListFindingsCommand).resolves({ findings: [] });
      const ids = Array.from({ length: 23 }, (_, i) => `i-${String(i).padStart(17, '0')}`);

      await collect(new Inspector2FindingsSource(client).listActiveFindings({ instanceIds: ids }));

      const filters = mock.commandCalls(ListFindingsCommand).map((c) => (c.args[0].input as ListFindingsCommandInput).filterCriteria?.resourceId?.map((f) => f.value));
      expect(filters).to.deep.equal([ids.slice(0, 10), ids.slice(10, 20), ids.slice(20)]);
    });

    it('reads everything once and filters here when batches would cost more calls', async () => {
      mock.on(ListFindingsCommand).resolves({ findings: [wireFinding('i-keep', 1), wireFinding('i-other', 2)] as never });
      const ids = ['i-keep', ...Array.from({ length: 30 }, (_, i) => `i-${i}`)];

      const findings = await collect(new Inspector2FindingsSource(client, { maxFilteredQueries: 3 }).listActiveFindings({ instanceIds: ids }));

      const calls = mock.commandCalls(ListFindingsCommand);
      expect(calls).to.have.length(1);
      expect(calls[0]?.args[0].input.filterCriteria?.resourceId).to.equal(undefined);
      expect(findings.map((f) => f.instanceId)).to.deep.equal(['i-keep']);
    });

    it('asks nothing for an empty instance list', async () => {
      const findings = await collect(new Inspector2FindingsSource(client).listActiveFindings({ instanceIds: [] }));

      expect(findings).to.deep.equal([]);
      expect(mock.commandCalls(ListFindingsCommand)).to.have.length(0);
    });

    it('names the missing IAM action when access is denied', async () => {
      mock.on(ListFindingsCommand).rejects(awsError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/x is not authorized to perform this action'));

      const error = await collect(new Inspector2FindingsSource(client).listActiveFindings()).then(() => null, (e: unknown) => e);

      expect(error).to.be.instanceOf(SourceError);
      expect(error).to.include({ service: 'inspector2', operation: 'ListFindings', code: 'AccessDeniedException' });
      expect((error as Error).message).to.contain('"inspector2:ListFindings"');
    });
  });
});
