import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricsPublisher, DEFAULT_METRICS_NAMESPACE, FLEET_METRICS, TREND_METRICS } from '../../../adapters/outbound/aws/cloudwatch-metrics-publisher.js';
import { SourceError } from '../../../domain/errors.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { awsError, motoClients } from './aws-fixtures.js';

// Registered here, not left to whichever spec ran before in the same process (parallel workers).
chai.use(chaiAsPromised);
const { expect } = chai;

const AT = Date.parse('2026-11-20T12:00:00Z');
const FIGURES = { actNow: 3, overdue: 7, criticalFindings: 12, patchCompliancePercent: 87.5 };
const TREND = {
  byDecision: { 'patch-now': 2, 'next-window': 5, routine: 9, mitigate: 1, blocked: 0, none: 4 },
  bySsvc: { act: 3, attend: 8, 'track*': 11, track: 40 },
  resolved: 6,
  meanHoursToRemediate: { act: 30.5, attend: null, 'track*': 200, track: null },
};

describe('CloudWatchMetricsPublisher', () => {
  describe('against moto', () => {
    const moto = useMoto();

    it('publishes the four figures to SRE/Operations, readable back at their instant', async () => {
      const { cloudwatch } = motoClients(moto.endpoint);

      await new CloudWatchMetricsPublisher(cloudwatch).publishFleetFigures(FIGURES, AT);

      const read = await cloudwatch.send(new GetMetricDataCommand({
        StartTime: new Date(AT - 300_000),
        EndTime: new Date(AT + 300_000),
        MetricDataQueries: Object.values(FLEET_METRICS).map((m, i) => ({
          Id: `m${i}`,
          MetricStat: { Metric: { Namespace: DEFAULT_METRICS_NAMESPACE, MetricName: m.name }, Period: 300, Stat: 'Maximum' },
        })),
      }));
      const values = Object.fromEntries((read.MetricDataResults ?? []).map((r) => [r.Id, r.Values]));
      expect(values).to.deep.equal({ m0: [3], m1: [7], m2: [12], m3: [87.5] });
    });

    it('publishes the trend point with Decision and SsvcOutcome dimensions, readable back per series', async () => {
      const { cloudwatch } = motoClients(moto.endpoint);

      await new CloudWatchMetricsPublisher(cloudwatch).publishTrendFigures(TREND, AT);

      const series = [
        [TREND_METRICS.byDecision.name, 'Decision', 'patch-now'],
        [TREND_METRICS.byDecision.name, 'Decision', 'none'],
        [TREND_METRICS.bySsvc.name, 'SsvcOutcome', 'track*'],
        [TREND_METRICS.meanHoursToRemediate.name, 'SsvcOutcome', 'act'],
        [TREND_METRICS.meanHoursToRemediate.name, 'SsvcOutcome', 'attend'],
        [TREND_METRICS.resolved.name, null, null],
      ] as const;
      const read = await cloudwatch.send(new GetMetricDataCommand({
        StartTime: new Date(AT - 300_000),
        EndTime: new Date(AT + 300_000),
        MetricDataQueries: series.map(([name, dim, value], i) => ({
          Id: `m${i}`,
          MetricStat: { Metric: { Namespace: DEFAULT_METRICS_NAMESPACE, MetricName: name, ...(dim ? { Dimensions: [{ Name: dim, Value: value }] } : {}) }, Period: 300, Stat: 'Maximum' },
        })),
      }));
      const values = Object.fromEntries((read.MetricDataResults ?? []).map((r) => [r.Id, r.Values]));
      // An unknown mean time (attend) is not published at all.
      expect(values).to.deep.equal({ m0: [2], m1: [4], m2: [11], m3: [30.5], m4: [], m5: [6] });
    });
  });

  describe('the request (aws-sdk-client-mock)', () => {
    const client = new CloudWatchClient({ region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const mock = mockClient(client);
    afterEach(() => mock.reset());
    after(() => mock.restore());

    it('sends one call with names, units and the instant, in the configured namespace', async () => {
      mock.on(PutMetricDataCommand).resolves({});

      await new CloudWatchMetricsPublisher(client, { namespace: 'Test/Fleet' }).publishFleetFigures(FIGURES, AT);

      const calls = mock.commandCalls(PutMetricDataCommand);
      expect(calls).to.have.length(1);
      expect(calls[0]?.args[0].input).to.deep.equal({
        Namespace: 'Test/Fleet',
        MetricData: [
          { MetricName: 'ActNowCount', Unit: 'Count', Value: 3, Timestamp: new Date(AT) },
          { MetricName: 'OverdueCount', Unit: 'Count', Value: 7, Timestamp: new Date(AT) },
          { MetricName: 'CriticalFindings', Unit: 'Count', Value: 12, Timestamp: new Date(AT) },
          { MetricName: 'PatchCompliancePercent', Unit: 'Percent', Value: 87.5, Timestamp: new Date(AT) },
        ],
      });
    });

    it('sends the trend point in one call: a datum per decision and outcome, unknown means left out', async () => {
      mock.on(PutMetricDataCommand).resolves({});

      await new CloudWatchMetricsPublisher(client, { namespace: 'Test/Fleet' }).publishTrendFigures(TREND, AT);

      const calls = mock.commandCalls(PutMetricDataCommand);
      expect(calls).to.have.length(1);
      const input = calls[0]?.args[0].input;
      expect(input?.Namespace).to.equal('Test/Fleet');
      const data = (input?.MetricData ?? []).map((d) => [d.MetricName, d.Dimensions?.[0]?.Name ?? null, d.Dimensions?.[0]?.Value ?? null, d.Value, d.Unit]);
      expect(data).to.deep.equal([
        ...Object.entries(TREND.byDecision).map(([k, v]) => ['InstancesByDecision', 'Decision', k, v, 'Count']),
        ...Object.entries(TREND.bySsvc).map(([k, v]) => ['FindingsBySsvcOutcome', 'SsvcOutcome', k, v, 'Count']),
        ['ResolvedFindings', null, null, 6, 'Count'],
        ['MeanHoursToRemediate', 'SsvcOutcome', 'act', 30.5, 'None'],
        ['MeanHoursToRemediate', 'SsvcOutcome', 'track*', 200, 'None'],
      ]);
      expect((input?.MetricData ?? []).every((d) => d.Timestamp?.getTime() === AT)).to.equal(true);
    });

    it('refuses a trend figure that is not a finite number before calling AWS', async () => {
      await expect(new CloudWatchMetricsPublisher(client).publishTrendFigures({ ...TREND, bySsvc: { ...TREND.bySsvc, act: Number.POSITIVE_INFINITY } }, AT)).to.be.rejectedWith(RangeError, /bySsvc\.act/);
      expect(mock.commandCalls(PutMetricDataCommand)).to.have.length(0);
    });

    it('leaves out a compliance percentage that is unknown rather than publishing 0', async () => {
      mock.on(PutMetricDataCommand).resolves({});

      await new CloudWatchMetricsPublisher(client).publishFleetFigures({ ...FIGURES, patchCompliancePercent: null }, AT);

      const names = mock.commandCalls(PutMetricDataCommand)[0]?.args[0].input.MetricData?.map((d) => d.MetricName);
      expect(names).to.deep.equal(['ActNowCount', 'OverdueCount', 'CriticalFindings']);
    });

    it('refuses a figure that is not a finite number before calling AWS', async () => {
      await expect(new CloudWatchMetricsPublisher(client).publishFleetFigures({ ...FIGURES, overdue: Number.NaN }, AT)).to.be.rejectedWith(RangeError, /overdue/);
      expect(mock.commandCalls(PutMetricDataCommand)).to.have.length(0);
    });

    it('names the missing IAM action when CloudWatch refuses', async () => {
      mock.on(PutMetricDataCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: cloudwatch:PutMetricData', 403));

      const err = await new CloudWatchMetricsPublisher(client).publishFleetFigures(FIGURES, AT).then(() => null, (e: unknown) => e);

      expect(err).to.be.instanceOf(SourceError);
      expect(err).to.include({ service: 'cloudwatch', operation: 'PutMetricData', code: 'AccessDenied' });
      expect((err as Error).message).to.contain('cloudwatch:PutMetricData');
    });
  });
});
