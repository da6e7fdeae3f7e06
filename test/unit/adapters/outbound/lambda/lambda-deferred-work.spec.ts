import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { deferredJobEvent, deferredJobOf } from '../../../../../adapters/outbound/lambda/deferred-job-event.js';
import { LambdaDeferredWork } from '../../../../../adapters/outbound/lambda/lambda-deferred-work.js';
import { SourceError } from '../../../../../domain/errors.js';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('LambdaDeferredWork', () => {
  // Installed for this block only: mockClient stubs LambdaClient.prototype.send for the whole
  // process until restored, and other files (or, in parallel runs, the same worker) make real clients.
  let lambda: AwsClientStub<LambdaClient>;
  before(() => (lambda = mockClient(LambdaClient)));
  afterEach(() => lambda.reset());
  after(() => lambda.restore());
  const job = { kind: 'slack.command', payload: { text: 'assess', n: 1 } };

  it('invokes the function asynchronously with the job as the whole event', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    await new LambdaDeferredWork(new LambdaClient({ region: 'eu-west-1' }), { functionName: 'sre-slack', qualifier: '7' }).defer(job);

    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).to.deep.include({ FunctionName: 'sre-slack', Qualifier: '7', InvocationType: 'Event' });
    const event: unknown = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));
    expect(deferredJobOf(event)).to.deep.equal(job);
  });

  it('rejects with a SourceError naming Lambda when the hand-off fails', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('not authorized to perform lambda:InvokeFunction'), { name: 'AccessDeniedException' }));

    await expect(new LambdaDeferredWork(new LambdaClient({ region: 'eu-west-1' }), { functionName: 'sre-slack' }).defer(job))
      .to.be.rejectedWith(SourceError, /could not hand off slack.command to sre-slack: AccessDeniedException/);
  });

  it('recognises only its own events', () => {
    expect(deferredJobOf(deferredJobEvent(job))).to.deep.equal(job);
    expect(deferredJobOf({ httpMethod: 'POST', body: JSON.stringify(deferredJobEvent(job)) })).to.equal(null);
    expect(deferredJobOf({ sreOpsDeferredJob: { payload: 1 } })).to.equal(null);
    expect(deferredJobOf(null)).to.equal(null);
  });
});
