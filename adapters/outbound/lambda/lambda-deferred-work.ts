/**
 * Deferred work on AWS Lambda: the function invokes itself asynchronously (InvocationType
 * Event) with the job, and returns. Lambda freezes a process once its handler returns, so work
 * left running in the background would stall until the next request; a second invocation runs
 * it to the end instead. The job travels as the whole event (see deferred-job-event.ts).
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { SourceError } from '../../../domain/errors.js';
import type { DeferredJob, DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import { deferredJobEvent } from './deferred-job-event.js';

export interface LambdaTarget {
  /** The function's name or ARN (AWS_LAMBDA_FUNCTION_NAME for itself). */
  readonly functionName: string;
  /** A version or alias, so the job runs the same code that deferred it; absent: $LATEST. */
  readonly qualifier?: string;
}

export class LambdaDeferredWork implements DeferredWork {
  constructor(
    private readonly client: Pick<LambdaClient, 'send'>,
    private readonly target: LambdaTarget,
  ) {}

  async defer(job: DeferredJob): Promise<void> {
    const command = new InvokeCommand({
      FunctionName: this.target.functionName,
      ...(this.target.qualifier ? { Qualifier: this.target.qualifier } : {}),
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(deferredJobEvent(job))),
    });
    let status: number | undefined;
    try {
      status = (await this.client.send(command)).StatusCode;
    } catch (err) {
      const e = err as { name?: string; message?: string };
      throw new SourceError('lambda', 'Invoke', `could not hand off ${job.kind} to ${this.target.functionName}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, { cause: err, code: e.name ?? 'InvokeFailed' });
    }
    // An accepted asynchronous invocation answers 202 Accepted.
    if (status !== 202) throw new SourceError('lambda', 'Invoke', `could not hand off ${job.kind}: Lambda answered ${status ?? 'no status'} instead of 202`);
  }
}
