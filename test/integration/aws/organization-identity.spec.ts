import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { DescribeInstanceInformationCommand, DescribeInstancePatchStatesCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../../adapters/outbound/aws/aws-clients.js';
import { createOrganizationScope, type OrganizationScope } from '../../../adapters/outbound/aws/organization-scope.js';
import { FixedClock } from '../../../adapters/outbound/clock/system-clock.js';
import { NoExploitedCatalog } from '../../../adapters/outbound/memory/no-catalog.js';
import { findInstance } from '../../../domain/instance-lookup.js';
import { DEFAULT_POLICY } from '../../../domain/policy.js';
import { AssessFleet } from '../../../ports/use-cases/assessment/assess-fleet.use-case.js';
import { SummarizeCompliance } from '../../../ports/use-cases/reports/summarize-compliance.use-case.js';
import type { CoreDependencies } from '../../../ports/use-cases/shared/core-dependencies.js';
import { wireFinding } from './aws-fixtures.js';

chai.use(chaiAsPromised);
const { expect } = chai;

const NOW = '2026-11-20T12:00:00Z';
const A = '111111111111';
const B = '222222222222';
/** The same id in both accounts: ids are unique within an account and region only. */
const SAME = 'i-0123456789abcdef0';
const REGION = 'us-east-1';

/**
 * Asset identity is (account, region, instance id). EC2 ids are unique per account and region,
 * so two accounts may hold the same one; moto cannot launch an instance with a chosen id, so the
 * accounts' EC2, Inspector and SSM answers come from aws-sdk-client-mock at the SDK seam (said
 * here), each account answering for itself; the organization scope and the use cases are real.
 */
describe('organization scope: two accounts holding the same instance id', () => {
  let scope: OrganizationScope | null = null;
  afterEach(() => {
    scope?.close();
    scope = null;
  });

  async function build(): Promise<OrganizationScope> {
    const sts = new STSClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    mockClient(sts).on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => ({
      Credentials: { AccessKeyId: `AKIA${input.RoleArn.split(':')[4]}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) },
    }));
    return createOrganizationScope({
      regions: [REGION], accounts: [A, B], assumeRole: 'SreOpsReadRole', externalId: null, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1, sts,
      clientsFor: (account, region, credentials) => {
        const clients = createAwsClients({ region, credentials, maxAttempts: 1 });
        mockClient(clients.ec2).on(DescribeInstancesCommand).resolves({
          Reservations: [{ Instances: [{ InstanceId: SAME, State: { Name: 'running' }, Tags: [{ Key: 'Name', Value: `web-${account}` }, { Key: 'Environment', Value: 'prod' }], Placement: { AvailabilityZone: `${region}a` } }] }],
        });
        // Only A's instance has a finding; B's Inspector lists none.
        mockClient(clients.inspector2).on(ListFindingsCommand).resolves({ findings: account === A ? [wireFinding(SAME, 1, { awsAccountId: A }) as never] : [] });
        const ssm = mockClient(clients.ssm);
        ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: SAME, PingStatus: account === A ? 'Online' : 'ConnectionLost' }] });
        ssm.on(DescribeInstancePatchStatesCommand).resolves({
          InstancePatchStates: [{ InstanceId: SAME, PatchGroup: 'web', BaselineId: 'pb-1', Operation: 'Scan', OperationStartTime: new Date(NOW), OperationEndTime: new Date(NOW), MissingCount: account === A ? 3 : 0 }],
        });
        return clients;
      },
    });
  }

  function deps(org: OrganizationScope): CoreDependencies {
    return {
      findings: org, assets: org, compliance: org, metrics: org, activity: org,
      catalog: new NoExploitedCatalog(),
      acceptances: { listAcceptances: async () => [] },
      clock: new FixedClock(Date.parse(NOW)),
      policy: DEFAULT_POLICY,
      source: { label: 'aws:test', notes: [], warnings: () => org.warnings(), gaps: () => org.gaps() },
    };
  }

  it('each asset gets its own account\'s findings, SSM state and patch state', async () => {
    scope = await build();
    const report = await new AssessFleet(deps(scope)).execute();
    const compliance = await new SummarizeCompliance(deps(scope)).execute();

    const a = report.assets.find((x) => x.accountId === A)!;
    const b = report.assets.find((x) => x.accountId === B)!;
    expect(report.assets.map((x) => `${x.accountId}/${x.region}/${x.instanceId}`)).to.have.members([`${A}/${REGION}/${SAME}`, `${B}/${REGION}/${SAME}`]);
    expect(a.findings).to.have.length(1);
    expect(b.findings).to.have.length(0);
    expect(a.managed).to.equal(true);
    expect(b.managed).to.equal(false);
    expect(report.summary.findings).to.equal(1);
    expect(report.warnings.filter((w) => w.includes('not in the inventory'))).to.deep.equal([]);
    expect(compliance.perInstance.map((r) => ({ name: r.name, status: r.status, missing: r.missing }))).to.have.deep.members([
      { name: `web-${A}`, status: 'non-compliant', missing: 3 },
      { name: `web-${B}`, status: 'compliant', missing: 0 },
    ]);
  });

  it('looking the id up is ambiguous, naming ACCOUNT/REGION/ID; that form picks one', async () => {
    scope = await build();
    const assets = await scope.listAssets();
    expect(() => findInstance(assets, SAME)).to.throw(`"${SAME}" names 2 instances: ${A}/${REGION}/${SAME}, ${B}/${REGION}/${SAME}; use ACCOUNT/REGION/ID`);
    expect(findInstance(assets, `${B}/${REGION}/${SAME}`)).to.include({ accountId: B, name: `web-${B}` });
    expect(findInstance(assets, `${A}/${SAME}`)).to.include({ accountId: A });
  });

  it('a patch run naming the id sends nothing: it cannot tell which account\'s instance to patch', async () => {
    scope = await build();
    const sent: string[] = [];
    const runner = scope.patchRunner();
    // The patch role's SSM clients are the scope's own; any SendCommand would be recorded here.
    const ssm = mockClient(SSMClient);
    ssm.on(SendCommandCommand).callsFake(() => {
      sent.push('send');
      return { Command: { CommandId: 'c-1' } };
    });
    try {
      await expect(runner.send({ token: 't', instanceIds: [SAME], operation: 'Install', rebootOption: 'RebootIfNeeded', snapshotId: 's', maxConcurrency: '1', maxErrors: '0', alarmName: null }))
        .to.be.rejectedWith(new RegExp(`instance ${SAME} is in 2 accounts and regions of the scope \\(${A}/${REGION}, ${B}/${REGION}\\)`));
    } finally {
      ssm.restore();
    }
    expect(sent).to.deep.equal([]);
  });
});
