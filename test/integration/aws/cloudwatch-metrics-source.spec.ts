import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricsSource } from '../../../adapters/outbound/aws/cloudwatch-metrics-source.js';
import { HOUR_MS } from '../../../domain/time.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { motoClients } from './aws-fixtures.js';

const END = Date.parse('2026-11-20T00:00:00Z');
const START = END - 6 * HOUR_MS;

async function put(cw: CloudWatchClient, instanceId: string, metric: string, points: readonly [number, number][]): Promise<void> {
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/EC2',
      MetricData: points.map(([t, v]) => ({ MetricName: metric, Dimensions: [{ Name: 'InstanceId', Value: instanceId }], Timestamp: new Date(t), Value: v })),
    }),
  );
}

describe('CloudWatchMetricsSource', () => {
  describe('against moto', () => {
    const moto = useMoto();

    it('returns each instance its own series, hourly, oldest first, with the right statistic per metric', async () => {
      const { cloudwatch } = motoClients(moto.endpoint);
      await put(cloudwatch, 'i-0aaaaaaaaaaaaaaa1', 'CPUUtilization', [[START + 10 * 60_000, 20], [START + 20 * 60_000, 40], [START + HOUR_MS + 60_000, 90]]);
      await put(cloudwatch, 'i-0aaaaaaaaaaaaaaa1', 'NetworkIn', [[START + 10 * 60_000, 100], [START + 20 * 60_000, 300]]);
      await put(cloudwatch, 'i-0aaaaaaaaaaaaaaa1', 'StatusCheckFailed', [[START + 10 * 60_000, 0], [START + 20 * 60_000, 1]]);
      await put(cloudwatch, 'i-0bbbbbbbbbbbbbbb2', 'CPUUtilization', [[START + 30 * 60_000, 5]]);

      const metrics = await new CloudWatchMetricsSource(cloudwatch, { now: () => END }).getInstanceMetrics({
        instanceIds: ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2', 'i-0ccccccccccccccc3'],
        start: START,
        end: END,
        periodSeconds: 3600,
      });

      const a = metrics.get('i-0aaaaaaaaaaaaaaa1');
      expect(a?.cpu).to.deep.equal([{ t: START, v: 30 }, { t: START + HOUR_MS, v: 90 }]);
      expect(a?.networkIn).to.deep.equal([{ t: START, v: 400 }]);
      expect(a?.statusCheckFailed).to.deep.equal([{ t: START, v: 1 }]);
      expect(metrics.get('i-0bbbbbbbbbbbbbbb2')?.cpu).to.deep.equal([{ t: START, v: 5 }]);
      expect(metrics.get('i-0ccccccccccccccc3')?.cpu ?? []).to.deep.equal([]);
    });
  });

  // Batching and NextToken are checked against aws-sdk-client-mock: moto never pages GetMetricData.
  describe('batching and paging (aws-sdk-client-mock)', () => {
    const client = new CloudWatchClient({ region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const mock = mockClient(client);
    afterEach(() => mock.reset());
    after(() => mock.restore());

    it('sends 4 queries an instance, at most 500 a call, and maps ids back to their instance', async () => {
      mock.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: MetricDataQuery[] }) => ({
        MetricDataResults: input.MetricDataQueries.map((q) => ({
          Id: q.Id,
          StatusCode: 'Complete',
          Timestamps: [new Date(START)],
          // The value tells which instance and metric the query was for.
          Values: [Number((q.MetricStat?.Metric?.Dimensions?.[0]?.Value ?? '').slice(2)) * 10 + ['CPUUtilization', 'NetworkIn', 'NetworkOut', 'StatusCheckFailed'].indexOf(q.MetricStat?.Metric?.MetricName ?? '')],
        })),
      }));
      const ids = Array.from({ length: 130 }, (_, i) => `i-${i}`);

      const metrics = await new CloudWatchMetricsSource(client, { now: () => END }).getInstanceMetrics({ instanceIds: ids, start: START, end: END, periodSeconds: 300 });

      const sizes = mock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length);
      expect(sizes).to.deep.equal([500, 20]);
      expect(metrics.get('i-129')).to.deep.equal({
        cpu: [{ t: START, v: 1290 }], networkIn: [{ t: START, v: 1291 }], networkOut: [{ t: START, v: 1292 }], statusCheckFailed: [{ t: START, v: 1293 }],
      });
      const first = mock.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries?.[0]?.MetricStat;
      expect(first).to.deep.include({ Period: 300, Stat: 'Average' });
    });

    it('follows NextToken and merges the pages of one query', async () => {
      mock
        .on(GetMetricDataCommand)
        .resolvesOnce({ MetricDataResults: [{ Id: 'cpu_0', Timestamps: [new Date(START)], Values: [1], StatusCode: 'PartialData' }], NextToken: 'n1' })
        .resolvesOnce({ MetricDataResults: [{ Id: 'cpu_0', Timestamps: [new Date(START + HOUR_MS)], Values: [2], StatusCode: 'Complete' }] });

      const metrics = await new CloudWatchMetricsSource(client, { now: () => END }).getInstanceMetrics({ instanceIds: ['i-1'], start: START, end: END, periodSeconds: 3600 });

      expect(mock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.NextToken)).to.deep.equal([undefined, 'n1']);
      expect(metrics.get('i-1')?.cpu).to.deep.equal([{ t: START, v: 1 }, { t: START + HOUR_MS, v: 2 }]);
    });
  });
});
