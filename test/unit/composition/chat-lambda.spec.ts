import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { InProcessDeferredWork } from '../../../adapters/outbound/memory/in-process-deferred-work.js';
import { assistantOptionsFromEnv, deferredRuntime, executorDeployed } from '../../../composition/chat-lambda.js';
import { teamsAuth } from '../../../composition/teams-lambda.js';
import { ValidationError } from '../../../domain/errors.js';
import { startCaptureServer } from '../../support/capture-server.js';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('chat Lambda configuration', () => {
  it('defers to a self-invocation of the same version on Lambda, in-process elsewhere', async () => {
    const lambda = await startCaptureServer((req) => (req.path.startsWith('/2015-03-31/functions/') ? { status: 202, text: '' } : undefined));
    const vars = { AWS_ENDPOINT_URL_LAMBDA: lambda.url, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };
    const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const latest = await deferredRuntime({ AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST' });
      const seven = await deferredRuntime({ AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', AWS_LAMBDA_FUNCTION_VERSION: '7' });
      // Nothing is sent before a job is deferred (the Lambda client itself is made on the first hand-off).
      expect(lambda.requests).to.have.length(0);
      await latest.deferred.defer({ kind: 'slack.command', payload: { n: 1 } });
      await seven.deferred.defer({ kind: 'slack.command', payload: { n: 2 } });
      await seven.deferred.defer({ kind: 'slack.command', payload: { n: 3 } });

      const invokes = lambda.to('/2015-03-31/functions/sre-slack/invocations');
      expect(invokes.map((r) => r.headers['x-amz-invocation-type'])).to.deep.equal(['Event', 'Event', 'Event']);
      expect(invokes.map((r) => new URL(r.path, lambda.url).searchParams.get('Qualifier'))).to.deep.equal([null, '7', '7']);
    } finally {
      for (const [k, v] of Object.entries(old)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await lambda.close();
    }
  });

  it('defers in-process off Lambda or when SRE_OPS_DEFERRED=in-process, and refuses another mode', async () => {
    const local = await deferredRuntime({});
    const forced = await deferredRuntime({ AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', SRE_OPS_DEFERRED: 'in-process' });

    expect(local.deferred).to.be.instanceOf(InProcessDeferredWork);
    expect(forced.deferred).to.be.instanceOf(InProcessDeferredWork);
    await expect(deferredRuntime({ SRE_OPS_DEFERRED: 'queue' })).to.be.rejectedWith(ValidationError, 'SRE_OPS_DEFERRED: expected lambda or in-process');
  });

  it('reads SRE_OPS_EXECUTOR_DEPLOYED as 1/true or 0/false/absent, and refuses anything else by name', () => {
    expect(executorDeployed({})).to.equal(false);
    expect(executorDeployed({ SRE_OPS_EXECUTOR_DEPLOYED: '0' })).to.equal(false);
    expect(executorDeployed({ SRE_OPS_EXECUTOR_DEPLOYED: '1' })).to.equal(true);
    expect(executorDeployed({ SRE_OPS_EXECUTOR_DEPLOYED: ' TRUE ' })).to.equal(true);
    expect(() => executorDeployed({ SRE_OPS_EXECUTOR_DEPLOYED: 'yes' })).to.throw(ValidationError, 'SRE_OPS_EXECUTOR_DEPLOYED: expected 1 or 0, got "yes"');
  });

  it('reads the source, and caches under /tmp on Lambda', () => {
    const env = { SRE_OPS_SOURCE: 'aws', AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', SRE_OPS_STATE_TABLE: 'sre-ops-state' };
    expect(assistantOptionsFromEnv(env)).to.deep.include({ source: 'aws', cacheDir: '/tmp/sre-ops-assistant', env });
    expect(assistantOptionsFromEnv({})).to.deep.include({ source: 'demo' });
  });

  it('takes the Bot Framework settings from the environment and insists on a password with an app id', async () => {
    const auth = await teamsAuth({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant', MicrosoftAppType: 'SingleTenant', HOME: '/root' });

    expect(auth).to.deep.equal({ auth: { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant', MicrosoftAppType: 'SingleTenant' }, emulator: false });
    await expect(teamsAuth({ MicrosoftAppId: 'app' })).to.be.rejectedWith(ValidationError, 'MicrosoftAppId is set but MicrosoftAppPassword is not');
  });

  it('refuses to start without an app id, naming it, unless the emulator switch is set (and then not on Lambda)', async () => {
    await expect(teamsAuth({})).to.be.rejectedWith(ValidationError, /^MicrosoftAppId is not set: the Teams bot does not start without its app id and credentials/);
    await expect(teamsAuth({ MicrosoftAppPassword: 'pw' })).to.be.rejectedWith(ValidationError, /^MicrosoftAppId is not set/);
    expect(await teamsAuth({ SRE_OPS_TEAMS_EMULATOR: 'true' })).to.deep.equal({ auth: {}, emulator: true });
    await expect(teamsAuth({ SRE_OPS_TEAMS_EMULATOR: 'true', AWS_LAMBDA_FUNCTION_NAME: 'sre-teams' })).to.be.rejectedWith(ValidationError, /refused on Lambda/);
    await expect(teamsAuth({ SRE_OPS_TEAMS_EMULATOR: 'true', MicrosoftAppId: 'app' })).to.be.rejectedWith(ValidationError, /^SRE_OPS_TEAMS_EMULATOR=true runs without authentication/);
    await expect(teamsAuth({ SRE_OPS_TEAMS_EMULATOR: 'yes please' })).to.be.rejectedWith(ValidationError, 'SRE_OPS_TEAMS_EMULATOR: expected true or false, got "yes please"');
  });
});
