import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { expect } from 'chai';
import { synthesized, useSynth } from './support/synth.js';

/** Every acknowledged cdk-nag finding (and CDK's own), by id, with the reasons given. */
function acknowledgements(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const t of Object.values(synthesized().templates)) {
    for (const resource of Object.values(t.toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }>)) {
      for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
        const reasons = out.get(rule.id) ?? new Set<string>();
        reasons.add(rule.reason);
        out.set(rule.id, reasons);
      }
    }
  }
  return out;
}

describe('infra 8. cdk-nag AwsSolutions checks', () => {
  useSynth();

  it('leave no unacknowledged error or warning (the synth itself fails on an error)', () => {
    const findings = synthesized().report.pluginReports.flatMap((p) => p.violations.map((v) => `${p.pluginName} ${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`));

    expect(findings).to.deep.equal([]);
  });

  it('do fail a synth on an unacknowledged error (the check is live, not a no-op)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sre-ops-nag-'));
    try {
      const app = new App({ outdir });
      new Bucket(new Stack(app, 'Probe'), 'Unlogged');
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      // The CDK prints the report on stderr before it throws: keep the test output clean.
      const print = console.error;
      console.error = () => {};
      try {
        expect(() => app.synth()).to.throw(/Validation failed/);
      } finally {
        console.error = print;
      }

      const report = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
      expect(report).to.contain('"AwsSolutions-S1"').and.to.contain('"severity": "error"');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('acknowledge exactly the reviewed findings, each with a written reason', () => {
    const nag = [...acknowledgements()].filter(([id]) => id.startsWith('AwsSolutions-'));

    expect(nag.map(([id]) => id).sort()).to.deep.equal([
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-EC23',
      'AwsSolutions-ECS2',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:sre-ops-assistant-slack:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:sre-ops-assistant-teams:*]',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
    ]);
    for (const [id, reasons] of nag) {
      for (const reason of reasons) expect(reason.length, `${id}: "${reason}"`).to.be.greaterThan(40);
    }
  });
});
