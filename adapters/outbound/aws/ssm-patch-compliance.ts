import { DescribeInstanceInformationCommand, DescribeInstancePatchStatesCommand } from '@aws-sdk/client-ssm';
import type { InstanceInformation, InstancePatchState, SSMClient } from '@aws-sdk/client-ssm';
import type { ManagedInstance, PatchState } from '../../../domain/fleet-facts.js';
import type { PatchCompliance } from '../../../ports/outbound/patch-compliance.port.js';
import { mapManagedInstance, mapPatchState } from '../aws-shapes/index.js';
import { callAws } from './aws-errors.js';
import type { Limiter } from './resilience.js';
import { chunk, createLimiter, mapLimited } from './resilience.js';

/** DescribeInstancePatchStates takes at most 50 instance ids a call. */
export const MAX_PATCH_STATE_IDS = 50;
/** DescribeInstanceInformation's largest page. */
export const MAX_INSTANCE_INFORMATION_PAGE = 50;

/** Options of SsmPatchCompliance. */
export interface SsmPatchComplianceOptions {
  /** Caps the patch-state calls in flight; share one limiter across adapters. Default 4 at once. */
  readonly limiter?: Limiter;
}

/**
 * Systems Manager: which instances it manages (DescribeInstanceInformation) and their patch
 * state (DescribeInstancePatchStates, 50 ids a call, calls in parallel under the limiter).
 */
export class SsmPatchCompliance implements PatchCompliance {
  private readonly limiter: Limiter;

  constructor(
    private readonly client: SSMClient,
    options: SsmPatchComplianceOptions = {},
  ) {
    this.limiter = options.limiter ?? createLimiter(4);
  }

  /** @throws SourceError (ssm, DescribeInstanceInformation, AWS code); the use case makes it a warning. */
  async managedInstances(): Promise<ReadonlyMap<string, ManagedInstance>> {
    const out = new Map<string, ManagedInstance>();
    const list = await this.instanceInformation();
    for (let i = 0; i < list.length; i++) {
      const managed = mapManagedInstance(list[i], `$.InstanceInformationList[${i}]`);
      out.set(managed.instanceId, managed);
    }
    return out;
  }

  /** @throws SourceError (ssm, DescribeInstancePatchStates, AWS code); the use case makes it a warning. */
  async patchStates(instanceIds: readonly string[]): Promise<ReadonlyMap<string, PatchState>> {
    const out = new Map<string, PatchState>();
    const list = await this.instancePatchStates(instanceIds);
    for (let i = 0; i < list.length; i++) {
      const state = mapPatchState(list[i], `$.InstancePatchStates[${i}]`);
      out.set(state.instanceId, state);
    }
    return out;
  }

  /** Every page of DescribeInstanceInformation, raw (for the capture). */
  async instanceInformation(): Promise<InstanceInformation[]> {
    const out: InstanceInformation[] = [];
    let nextToken: string | undefined;
    do {
      const response = await callAws('ssm', 'DescribeInstanceInformation', () =>
        this.client.send(new DescribeInstanceInformationCommand({ MaxResults: MAX_INSTANCE_INFORMATION_PAGE, NextToken: nextToken })),
      );
      out.push(...(response.InstanceInformationList ?? []));
      nextToken = response.NextToken;
    } while (nextToken);
    return out;
  }

  /** DescribeInstancePatchStates of the given ids, raw, in batches of 50 (for the capture). */
  async instancePatchStates(instanceIds: readonly string[]): Promise<InstancePatchState[]> {
    const batches = chunk([...new Set(instanceIds)], MAX_PATCH_STATE_IDS);
    const results = await mapLimited(batches, this.limiter, async (batch) => {
      const states: InstancePatchState[] = [];
      let nextToken: string | undefined;
      // One page holds a whole batch (MaxResults 50 = batch size); NextToken is followed anyway.
      do {
        const response = await callAws('ssm', 'DescribeInstancePatchStates', () =>
          this.client.send(new DescribeInstancePatchStatesCommand({ InstanceIds: batch, MaxResults: MAX_PATCH_STATE_IDS, NextToken: nextToken })),
        );
        states.push(...(response.InstancePatchStates ?? []));
        nextToken = response.NextToken;
      } while (nextToken);
      return states;
    });
    return results.flat();
  }
}
