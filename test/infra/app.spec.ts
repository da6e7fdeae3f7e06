import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Token } from 'aws-cdk-lib';
import { expect } from 'chai';
import { readConfig } from '../../infra/lib/config.js';
import { REPO_ROOT } from '../support/paths.js';
import { cdkJsonContext, INPUTS, stubBundles, synthesized, useSynth } from './support/synth.js';

const config = (context: Record<string, unknown>): ReturnType<typeof readConfig> => readConfig(new App({ context: { ...cdkJsonContext(), ...context } }).node, REPO_ROOT);

describe('infra: the app and its inputs', () => {
  useSynth();

  it('has the seven stacks, in one region, with no account or lookup needed', () => {
    const { stacks } = synthesized();
    const all = [stacks.network, stacks.edge, stacks.data, stacks.service, stacks.bots, stacks.api, stacks.monitoring];

    expect(all.map((s) => s.stackName)).to.deep.equal(['SreOps-Network', 'SreOps-Edge', 'SreOps-Data', 'SreOps-Service', 'SreOps-Bots', 'SreOps-Api', 'SreOps-Monitoring']);
    expect(new Set(all.map((s) => s.region))).to.deep.equal(new Set(['us-west-2']));
    // The account is the deploying credentials' (a token), so synth never needs one.
    for (const s of all) expect(Token.isUnresolved(s.account)).to.equal(true);
    expect(existsSync(join(REPO_ROOT, 'cdk.context.json'))).to.equal(false);
  });

  it('requires domainName, hostedZoneId and alarmEmail, and says how to pass them', () => {
    expect(() => config({ hostedZoneId: INPUTS.hostedZoneId, alarmEmail: INPUTS.alarmEmail })).to.throw(/context domainName is required: pass it on the command line, e\.g\. npx cdk synth -c domainName=/);
    expect(() => config({ domainName: INPUTS.domainName, alarmEmail: INPUTS.alarmEmail })).to.throw(/context hostedZoneId is required/);
    expect(() => config({ domainName: INPUTS.domainName, hostedZoneId: INPUTS.hostedZoneId })).to.throw(/context alarmEmail is required/);
  });

  it('refuses malformed inputs by name', () => {
    expect(() => config({ ...INPUTS, domainName: 'not a domain' })).to.throw(/context domainName: expected a DNS name/);
    expect(() => config({ ...INPUTS, hostedZoneId: 'zone-1' })).to.throw(/context hostedZoneId: expected a Route 53 zone id/);
    expect(() => config({ ...INPUTS, alarmEmail: 'oncall' })).to.throw(/context alarmEmail: expected an email address/);
    expect(() => config({ ...INPUTS, hostedZoneName: 'other.org' })).to.throw(/does not contain domainName/);
    expect(() => config({ ...INPUTS, slackSecretName: 'arn:aws:secretsmanager:us-west-2:1:secret:x' })).to.throw(/expected a secret name, not an ARN/);
    expect(() => config({ ...INPUTS, teamsAppType: 'Single' })).to.throw(/teamsAppType/);
  });

  it('defaults the chat secret names and the environment (cdk.json), production only when asked', () => {
    const c = config({ ...INPUTS });

    expect(c).to.include({ slackSecretName: 'sre-ops-assistant/slack', teamsSecretName: 'sre-ops-assistant/teams', apiKeysSecretName: 'sre-ops-assistant/api-keys', environment: 'staging', production: false, hostedZoneName: INPUTS.domainName });
    expect(config({ ...INPUTS, environment: 'production' }).production).to.equal(true);
  });

  it('synthesizes offline through the CDK CLI with the inputs on the command line (cdk.json, bin/app.ts)', function () {
    // A second Node process loading the whole CDK: minutes on a loaded machine.
    this.timeout(240_000);
    const out = mkdtempSync(join(tmpdir(), 'sre-ops-cdk-cli-'));
    try {
      const args = ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', out,
        ...Object.entries({ ...INPUTS, lambdaBundleDir: stubBundles() }).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
      const run = spawnSync('npx', args, {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        // No credentials and no account: nothing may be looked up.
        env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      });

      expect(run.status, run.stderr).to.equal(0);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string }> };
      expect(Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id]) => id).sort())
        .to.deep.equal(['Api', 'Bots', 'Data', 'Edge', 'Monitoring', 'Network', 'Service']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
