import {
  CancelCommandCommand, GetCommandInvocationCommand, ListCommandInvocationsCommand, ListCommandsCommand, SendCommandCommand,
  type CommandInvocation, type GetCommandInvocationCommandOutput, type SSMClient,
} from '@aws-sdk/client-ssm';
import type { InvocationState } from '../../../domain/patch/run.js';
import type { Instant } from '../../../domain/time.js';
import type { PatchRunner, SentCommand, WaveCommand } from '../../../ports/outbound/patch-runner.port.js';
import { awsErrorCode, callAws, toSourceError } from './aws-errors.js';
import type { Limiter } from './resilience.js';
import { createLimiter, mapLimited } from './resilience.js';

/** The AWS-managed document that scans for or installs patches by the instance's patch baseline. */
export const PATCH_DOCUMENT = 'AWS-RunPatchBaseline';
/** SendCommand names at most 50 instances. */
export const MAX_INSTANCES_PER_COMMAND = 50;
/** Minutes SSM waits to deliver the command to an instance that is not reachable. */
export const DELIVERY_TIMEOUT_SECONDS = 600;

export interface SsmPatchRunnerOptions {
  /**
   * How invocations are read: "list" (ListCommandInvocations, one paged call for a command: the
   * default) or "get" (GetCommandInvocation per instance, under the limiter). moto_server
   * implements only GetCommandInvocation, so tests against it use "get".
   */
  readonly invocationReads?: 'list' | 'get';
  readonly limiter?: Limiter;
}

/** SSM invocation statuses (and the details that say why) to the domain's. */
function stateOf(instanceId: string, status: string | undefined, details: string | undefined, code?: number): InvocationState {
  const why = (text: string): string => (details && details !== status ? `${text} (${details})` : text);
  switch (status) {
    case 'Success':
      return { instanceId, status: 'succeeded', detail: null };
    case 'InProgress':
    case 'Cancelling':
      return { instanceId, status: 'in-progress', detail: null };
    case 'Pending':
    case 'Delayed':
    case undefined:
      return { instanceId, status: 'pending', detail: null };
    case 'TimedOut':
      return { instanceId, status: 'timed-out', detail: why('SSM timed out') };
    case 'Cancelled':
      return { instanceId, status: 'cancelled', detail: why('cancelled at SSM') };
    case 'Failed':
      return { instanceId, status: 'failed', detail: why(`AWS-RunPatchBaseline failed${code !== undefined && code >= 0 ? ` with exit code ${code}` : ''}`) };
    default:
      // Undeliverable, Terminated, AccessDenied, InvalidPlatform and statuses AWS adds later:
      // the command will not succeed there, which is a failure for the wave.
      return { instanceId, status: 'failed', detail: why(`SSM status ${status}`) };
  }
}

/** True when a command names exactly the wanted instances (in any order, each once). */
function sameInstances(named: readonly string[] | undefined, wanted: ReadonlySet<string>): boolean {
  const ids = new Set(named ?? []);
  return ids.size === wanted.size && [...ids].every((id) => wanted.has(id));
}

/**
 * Runs AWS-RunPatchBaseline through SSM Run Command. Each command carries the send's token in its
 * Comment, which is how `findSent` recognises it after a crash (SendCommand has no client token).
 */
export class SsmPatchRunner implements PatchRunner {
  readonly simulated = false;
  readonly maxInstancesPerCommand = MAX_INSTANCES_PER_COMMAND;
  private readonly reads: 'list' | 'get';
  private readonly limiter: Limiter;

  constructor(
    private readonly client: SSMClient,
    options: SsmPatchRunnerOptions = {},
  ) {
    this.reads = options.invocationReads ?? 'list';
    this.limiter = options.limiter ?? createLimiter(4);
  }

  /** @throws SourceError (ssm, SendCommand, AWS code). */
  async send(c: WaveCommand): Promise<SentCommand> {
    if (c.instanceIds.length === 0 || c.instanceIds.length > MAX_INSTANCES_PER_COMMAND) {
      throw new RangeError(`SendCommand takes 1 to ${MAX_INSTANCES_PER_COMMAND} instances, got ${c.instanceIds.length}`);
    }
    const out = await callAws('ssm', 'SendCommand', () =>
      this.client.send(new SendCommandCommand({
        DocumentName: PATCH_DOCUMENT,
        InstanceIds: [...c.instanceIds],
        Parameters: { Operation: [c.operation], RebootOption: [c.rebootOption], SnapshotId: [c.snapshotId] },
        MaxConcurrency: c.maxConcurrency,
        MaxErrors: c.maxErrors,
        Comment: c.token,
        TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
        ...(c.alarmName ? { AlarmConfiguration: { Alarms: [{ Name: c.alarmName }], IgnorePollAlarmFailure: false } } : {}),
      })),
    );
    const id = out.Command?.CommandId;
    if (!id) throw new Error('invariant: SendCommand answered without a CommandId');
    return { commandId: id, requestedAt: out.Command?.RequestedDateTime?.getTime() ?? Date.now() };
  }

  /**
   * Pages ListCommands of the patch document since `since`, newest first, for the command with the
   * token in its Comment that names exactly `instanceIds`. A command with the token for other
   * instances is not this wave's (a Comment is free text anyone can write): it is passed over.
   */
  async findSent(token: string, since: Instant, instanceIds: readonly string[]): Promise<SentCommand | null> {
    const wanted = new Set(instanceIds);
    let nextToken: string | undefined;
    do {
      const page = await callAws('ssm', 'ListCommands', () =>
        this.client.send(new ListCommandsCommand({
          Filters: [
            { key: 'InvokedAfter', value: new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z') },
            { key: 'DocumentName', value: PATCH_DOCUMENT },
          ],
          MaxResults: 50,
          NextToken: nextToken,
        })),
      );
      // The filters narrow the page; the comment and the instances decide (moto ignores the filters altogether).
      const hit = (page.Commands ?? []).find((c) => c.Comment === token && c.DocumentName === PATCH_DOCUMENT && sameInstances(c.InstanceIds, wanted));
      if (hit?.CommandId) return { commandId: hit.CommandId, requestedAt: hit.RequestedDateTime?.getTime() ?? since };
      nextToken = page.NextToken;
    } while (nextToken);
    return null;
  }

  async invocations(commandId: string, instanceIds: readonly string[]): Promise<readonly InvocationState[]> {
    return this.reads === 'list' ? this.listInvocations(commandId, instanceIds) : this.getInvocations(commandId, instanceIds);
  }

  private async listInvocations(commandId: string, instanceIds: readonly string[]): Promise<InvocationState[]> {
    const found = new Map<string, CommandInvocation>();
    let nextToken: string | undefined;
    do {
      const page = await callAws('ssm', 'ListCommandInvocations', () =>
        this.client.send(new ListCommandInvocationsCommand({ CommandId: commandId, MaxResults: 50, NextToken: nextToken })),
      );
      for (const inv of page.CommandInvocations ?? []) if (inv.InstanceId) found.set(inv.InstanceId, inv);
      nextToken = page.NextToken;
    } while (nextToken);
    // An instance SSM has not reached yet is not listed: it is still pending.
    return instanceIds.map((id) => {
      const inv = found.get(id);
      return stateOf(id, inv?.Status, inv?.StatusDetails);
    });
  }

  private async getInvocations(commandId: string, instanceIds: readonly string[]): Promise<InvocationState[]> {
    return mapLimited(instanceIds, this.limiter, async (id) => {
      let out: GetCommandInvocationCommandOutput;
      try {
        out = await this.client.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: id }));
      } catch (err) {
        // Right after SendCommand the invocation may not exist yet.
        if (awsErrorCode(err) === 'InvocationDoesNotExist') return stateOf(id, undefined, undefined);
        throw toSourceError(err, 'ssm', 'GetCommandInvocation');
      }
      return stateOf(id, out.Status, out.StatusDetails, out.ResponseCode);
    });
  }

  /** @throws SourceError (ssm, CancelCommand, AWS code). */
  async cancel(commandId: string): Promise<void> {
    await callAws('ssm', 'CancelCommand', () => this.client.send(new CancelCommandCommand({ CommandId: commandId })));
  }
}
