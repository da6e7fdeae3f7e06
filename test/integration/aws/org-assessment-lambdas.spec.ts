import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createListHandler, createMergeHandler, createPartitionHandler, runKeys, type OrgAssessmentDependencies, type PartitionItem,
} from '../../../composition/org-assessment-lambda.js';
import type { OrganizationReport, PartitionResult } from '../../../ports/use-cases/assessment/merge-partitions.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbHistoryStore } from '../../../adapters/outbound/dynamodb/dynamodb-history-store.js';
import { createStateTable } from '../../../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { startCaptureServer } from '../../support/capture-server.js';
import { MOTO_CREDENTIALS, useMoto } from '../../support/moto.js';
import { MOTO_AWS_ENV, seedAccounts, SEEDED_REGIONS } from '../../support/moto-accounts.js';
import { DEMO_FLEET } from '../../support/paths.js';
import { runCli } from '../../support/run-cli.js';
import { withEnv } from '../../support/with-env.js';

chai.use(chaiAsPromised);
const { expect } = chai;

const NOW = '2026-11-20T12:00:00.000Z';
const A = '111111111111';
const B = '222222222222';
const REGIONS = SEEDED_REGIONS;
const BUCKET = 'sre-ops-org-assessment';
const TABLE = 'sre-ops-org-state';
const KEV = join(DEMO_FLEET, 'kev.json');
const MOTO_AWS = { ...MOTO_AWS_ENV, AWS_REGION: 'us-east-1' };
const seed = seedAccounts;

/**
 * The scheduled organization assessment's Lambdas (list, one partition per Map item, merge) run
 * in process against moto_server, as the state machine calls them (infra/lib/org-assessment-stack.ts):
 * the items and results go to moto S3, the figures to moto CloudWatch.
 */
describe('organization assessment Lambdas (Step Functions steps) on moto', function () {
  this.timeout(180_000);
  const moto = useMoto();
  let restore: () => void = () => undefined;
  let s3: S3Client;
  beforeEach(async () => {
    restore = withEnv(MOTO_AWS);
    s3 = new S3Client({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterEach(() => {
    s3.destroy();
    restore();
  });

  function deps(scope: unknown): OrgAssessmentDependencies {
    return {
      env: { SRE_OPS_ASSESSMENT_BUCKET: BUCKET, SRE_OPS_SCOPE: JSON.stringify(scope), SRE_OPS_KEV: KEV, AWS_REGION: 'us-east-1', SRE_OPS_METRICS_NAMESPACE: 'SRE/OrgTest' },
      aws: { endpointUrl: moto.server.endpoint, maxAttempts: 1 },
    };
  }

  async function object<T>(key: string): Promise<T> {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return JSON.parse(await out.Body!.transformToString()) as T;
  }

  it('list → partition per item → merge: each partition\'s result in S3, and the organization report equals the CLI\'s assessment of the same scope', async () => {
    const seeded = await seed(moto.server, [A, B]);
    const d = deps({ accounts: [A, B], regions: [...REGIONS] });
    const run = { runId: 'run-1', now: NOW };

    const listed = await createListHandler(d)(run);
    const items = await object<PartitionItem[]>(listed.itemsKey);
    const partition = createPartitionHandler(d);
    const outcomes = [];
    for (const item of items) outcomes.push(await partition({ item, ...run }));
    const merged = await createMergeHandler(d)(run);
    const cli = await runCli(['assess', '--json', '--source', 'aws', '--endpoint-url', moto.server.endpoint, '--accounts', `${A},${B}`, '--regions', REGIONS.join(','), '--kev', KEV, '--now', NOW], MOTO_AWS);

    expect(listed).to.deep.include({ runId: 'run-1', bucket: BUCKET, itemsKey: 'runs/run-1/partitions.json', partitions: 4 });
    expect(items).to.have.deep.members([A, B].flatMap((accountId) => REGIONS.map((region) => ({ accountId, region }))));
    for (const item of items) {
      const r = await object<PartitionResult>(runKeys.partition('run-1', item));
      expect(r.error, `${item.accountId}/${item.region}`).to.equal(null);
      expect(r.fleet!.assets.map((a) => a.instanceId)).to.have.members(seeded.filter((s) => s.accountId === item.accountId && s.region === item.region).map((s) => s.instanceId));
    }
    expect(outcomes.map((o) => o.assets)).to.deep.equal([2, 2, 2, 2]);

    expect(cli.code, cli.stderr).to.equal(0);
    const live = JSON.parse(cli.stdout);
    const org = await object<OrganizationReport>(merged.key);
    expect(org.assets).to.deep.equal(live.assets);
    expect(org.summary).to.deep.equal(live.summary);
    expect(org.summary.byAccount).to.deep.equal({ [A]: 4, [B]: 4 });
    expect(org.generatedAt).to.equal(live.generatedAt);
    expect(org.partial).to.equal(undefined);
    expect(merged).to.deep.include({ partial: false, partitions: { read: 4, unreadable: 0, missing: 0 } });

    // The collector's figures, published once for the organization.
    const cw = new CloudWatchClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    const metrics = (await cw.send(new ListMetricsCommand({ Namespace: 'SRE/OrgTest' }))).Metrics ?? [];
    cw.destroy();
    expect(metrics.map((m) => m.MetricName)).to.include.members(['ActNowCount', 'OverdueCount', 'CriticalFindings']);
  });

  it('an account whose role denies AssumeRole (simulated at the STS seam with aws-sdk-client-mock: moto grants any role) and a partition with no result: warnings, partial, the rest stands', async () => {
    const seeded = await seed(moto.server, [A, B]);
    const d = deps({ accounts: [A, B], regions: [...REGIONS] });
    const run = { runId: 'run-2', now: NOW };
    const listed = await createListHandler(d)(run);
    const items = await object<PartitionItem[]>(listed.itemsKey);
    const partition = createPartitionHandler(d);

    for (const item of items.filter((i) => i.accountId === A && i.region === 'us-east-1')) await partition({ item, ...run });
    // A eu-west-1 never runs: its Map item failed past its retries (tolerated), so it left no result.
    const sts = mockClient(STSClient);
    const denied = Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/SreOps/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${B}:role/SreOpsReadRole`), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    sts.on(AssumeRoleCommand).rejects(denied);
    const outcomesB = [];
    try {
      for (const item of items.filter((i) => i.accountId === B)) outcomesB.push(await partition({ item, ...run }));
    } finally {
      sts.restore();
    }
    const merged = await createMergeHandler(d)(run);
    const org = await object<OrganizationReport>(merged.key);

    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).to.include(`arn:aws:iam::${B}:role/SreOpsReadRole`);
    expect(outcomesB.map((o) => o.error)).to.satisfy((errs: (string | null)[]) => errs.every((e) => e !== null && e.includes('AccessDenied')));
    expect(org.assets.map((a) => a.instanceId)).to.have.members(seeded.filter((s) => s.accountId === A && s.region === 'us-east-1').map((s) => s.instanceId));
    expect(org.summary.byAccount).to.deep.equal({ [A]: 2 });
    expect(org.partial).to.equal(true);
    expect(org.warnings.filter((w) => w.startsWith(`account ${B} `))).to.have.length(2);
    expect(org.warnings.find((w) => w.startsWith(`account ${B} us-east-1: `))).to.contain(`arn:aws:iam::${B}:role/SreOpsReadRole`).and.to.contain('left out of the answer');
    expect(org.warnings.find((w) => w.startsWith(`account ${A} eu-west-1: `))).to.contain('no result');
    expect(org.partitions).to.deep.equal([
      { accountId: A, region: 'eu-west-1', status: 'missing', assets: 0 },
      { accountId: A, region: 'us-east-1', status: 'read', assets: 2 },
      { accountId: B, region: 'eu-west-1', status: 'unreadable', assets: 0 },
      { accountId: B, region: 'us-east-1', status: 'unreadable', assets: 0 },
    ]);
    expect(merged.partitions).to.deep.equal({ read: 1, unreadable: 2, missing: 1 });
  });

  it('with a state table, the merge does the collector\'s pass: records the organization assessment in the history (the collector\'s record), posts the alerts of what changed to SRE_OPS_NOTIFY once, and publishes the trend point', async () => {
    const seeded = await seed(moto.server, [A, B]);
    const dynamo = new DynamoDBClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
    await createStateTable(dynamo, TABLE);
    const slack = await startCaptureServer(() => ({ json: { ok: true, ts: '1.1' } }));
    const history = new DynamoDbHistoryStore(dynamo, TABLE);
    try {
      const withState = (scope: unknown): OrgAssessmentDependencies => {
        const d = deps(scope);
        return { ...d, env: { ...d.env, SRE_OPS_STATE_TABLE: TABLE, SRE_OPS_NOTIFY: 'slack:C-ALERTS', SLACK_BOT_TOKEN: 'xoxb-alerts', SLACK_API_URL: `${slack.url}/api/` } };
      };
      const assess = async (d: OrgAssessmentDependencies, run: { runId: string; now: string }) => {
        const listed = await createListHandler(d)(run);
        const partition = createPartitionHandler(d);
        for (const item of await object<PartitionItem[]>(listed.itemsKey)) await partition({ item, ...run });
        const merged = await createMergeHandler(d)(run);
        return { merged, org: await object<OrganizationReport>(merged.key) };
      };

      // 1. Account A alone: recorded, nothing to compare with, no alert.
      const first = await assess(withState({ accounts: [A], regions: [...REGIONS] }), { runId: 'run-a', now: NOW });
      expect(first.merged.failures).to.deep.equal([]);
      expect(first.merged.alerts).to.deep.include({ alerts: [], posted: [] });
      const [one] = await history.listAssessments();
      expect(one!.id).to.equal(first.merged.alerts!.recorded);
      expect(one).to.deep.include({ at: Date.parse(NOW), origin: 'collector', source: first.org.source, assets: first.org.assets.length });
      expect(one!.findings).to.equal(first.org.assets.reduce((n, a) => n + a.findings.length, 0)).and.to.be.greaterThan(0);
      expect(one!.summary.byDecision).to.deep.equal(first.org.summary.byDecision);
      const recorded = await history.getAssessment(one!.id);
      expect(new Set(recorded!.assets.map((a) => `${a.accountId}/${a.region}/${a.instanceId}`))).to.deep.equal(new Set(seeded.filter((x) => x.accountId === A).map((x) => `${x.accountId}/${x.region}/${x.instanceId}`)));
      expect(slack.to('/api/chat.postMessage')).to.have.length(0);

      // 2. Two hours on, the scope grows to B: B's findings are new; the alerts they call for are posted once.
      const later = new Date(Date.parse(NOW) + 2 * 3_600_000).toISOString();
      const d2 = withState({ accounts: [A, B], regions: [...REGIONS] });
      const second = await assess(d2, { runId: 'run-ab', now: later });
      expect(second.merged.failures).to.deep.equal([]);
      const alerts = second.merged.alerts!;
      expect(alerts.alerts.length, 'B\'s act findings on exposed production instances are new').to.be.greaterThan(0);
      expect(alerts.posted).to.have.members(alerts.alerts.map((a) => a.key));
      const bInstances = seeded.filter((x) => x.accountId === B).map((x) => x.instanceId);
      for (const a of alerts.alerts) expect(bInstances.some((id) => a.text.includes(id)) || a.text.includes(B), a.text).to.equal(true);
      const posts = slack.to('/api/chat.postMessage');
      expect(posts).to.have.length(1);
      expect(posts[0]!.headers.authorization).to.equal('Bearer xoxb-alerts');
      expect(posts[0]!.body.channel).to.equal('C-ALERTS');
      const headers = await history.listAssessments();
      expect(headers.map((h) => [h.at, h.source])).to.deep.equal([[Date.parse(later), second.org.source], [Date.parse(NOW), first.org.source]]);
      expect(headers[0]!.assets).to.equal(second.org.assets.length);

      // The step retried by Step Functions: the alerts are claimed, nothing is posted or recorded twice.
      const again = await createMergeHandler(d2)({ runId: 'run-ab', now: later });
      expect(again.alerts).to.deep.include({ posted: [], recorded: null });
      expect(slack.to('/api/chat.postMessage')).to.have.length(1);
      expect(await history.listAssessments()).to.have.length(2);

      // Alert channels that cannot start (no bot token): named in the result; the report and its figures stand.
      const broken = await createMergeHandler({ ...d2, env: { ...d2.env, SLACK_BOT_TOKEN: '' } })({ runId: 'run-ab', now: later });
      expect(broken.failures).to.have.length(1);
      expect(broken.failures[0]).to.match(/^alerting and history failed: SLACK_BOT_TOKEN: /);
      expect(broken).to.deep.include({ key: second.merged.key, alerts: null, trend: null });

      // The day's trend point beside the fleet figures.
      expect(second.merged.trend).to.not.equal(null);
      expect(second.merged.trend!.byDecision).to.deep.equal(second.org.summary.byDecision);
      const cw = new CloudWatchClient({ endpoint: moto.server.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
      const metrics = (await cw.send(new ListMetricsCommand({ Namespace: 'SRE/OrgTest' }))).Metrics ?? [];
      cw.destroy();
      expect(metrics.map((m) => m.MetricName)).to.include.members(['InstancesByDecision', 'FindingsBySsvcOutcome', 'ResolvedFindings']);
    } finally {
      await slack.close();
      dynamo.destroy();
    }
  });

  it('bad input: a run id that is not an execution name, a missing bucket, a malformed scope: one line naming the field', async () => {
    const d = deps({ accounts: [A], regions: ['us-east-1'] });
    await expect(createListHandler(d)({ runId: '../x', now: NOW })).to.be.rejectedWith(/^runId: expected a Step Functions execution name/);
    await expect(createListHandler({ ...d, env: { ...d.env, SRE_OPS_ASSESSMENT_BUCKET: '' } })({ runId: 'r', now: NOW })).to.be.rejectedWith(/^SRE_OPS_ASSESSMENT_BUCKET: /);
    await expect(createListHandler({ ...d, env: { ...d.env, SRE_OPS_SCOPE: '{"regions":["eu-west-9"]}' } })({ runId: 'r', now: NOW })).to.be.rejectedWith(/scope\.regions/);
  });
});
