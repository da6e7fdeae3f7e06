import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { InProcessDeferredWork } from '../../../adapters/outbound/memory/in-process-deferred-work.js';
import { LambdaDeferredWork } from '../../../adapters/outbound/lambda/lambda-deferred-work.js';
import { assistantOptionsFromEnv, deferredRuntime } from '../../../composition/chat-lambda.js';
import { teamsAuth } from '../../../composition/teams-lambda.js';
import { ValidationError } from '../../../domain/errors.js';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('chat Lambda configuration', () => {
  it('defers to a self-invocation of the same version on Lambda, in-process elsewhere', async () => {
    const onLambda = await deferredRuntime({ AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_REGION: 'eu-west-1' });
    const local = await deferredRuntime({});
    const forced = await deferredRuntime({ AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', SRE_OPS_DEFERRED: 'in-process' });

    // By name: the adapter is loaded on demand, and a TypeScript test runner may load it twice.
    expect(onLambda.deferred.constructor.name).to.equal(LambdaDeferredWork.name);
    expect(local.deferred).to.be.instanceOf(InProcessDeferredWork);
    expect(forced.deferred).to.be.instanceOf(InProcessDeferredWork);
    await expect(deferredRuntime({ SRE_OPS_DEFERRED: 'queue' })).to.be.rejectedWith(ValidationError, 'SRE_OPS_DEFERRED: expected lambda or in-process');
  });

  it('reads the source, and caches under /tmp on Lambda', () => {
    const env = { SRE_OPS_SOURCE: 'aws', AWS_LAMBDA_FUNCTION_NAME: 'sre-slack', SRE_OPS_STATE_TABLE: 'sre-ops-state' };
    expect(assistantOptionsFromEnv(env)).to.deep.include({ source: 'aws', cacheDir: '/tmp/sre-ops-assistant', env });
    expect(assistantOptionsFromEnv({})).to.deep.include({ source: 'demo' });
  });

  it('takes the Bot Framework settings from the environment and insists on a password with an app id', async () => {
    const auth = await teamsAuth({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant', MicrosoftAppType: 'SingleTenant', HOME: '/root' });

    expect(auth).to.deep.equal({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant', MicrosoftAppType: 'SingleTenant' });
    await expect(teamsAuth({ MicrosoftAppId: 'app' })).to.be.rejectedWith(ValidationError, 'MicrosoftAppId is set but MicrosoftAppPassword is not');
    expect(await teamsAuth({})).to.deep.equal({});
  });
});
