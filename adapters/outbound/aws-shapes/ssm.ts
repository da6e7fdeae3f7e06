/** SSM DescribeInstanceInformation and DescribeInstancePatchStates output to domain types. */
import type { ManagedInstance, PatchState } from '../../../domain/fleet-facts.js';
import type { ShapeContext } from './read.js';
import { asObject, optCount, optString, optTimestamp, reqString } from './read.js';

const INFO: ShapeContext = { service: 'ssm', operation: 'DescribeInstanceInformation' };
const PATCH: ShapeContext = { service: 'ssm', operation: 'DescribeInstancePatchStates' };

/**
 * Maps one `InstanceInformationList[]` entry. An unknown PingStatus is carried as a string.
 * @param path JSON path of `raw`, for errors, e.g. `$.InstanceInformationList[3]`.
 */
export function mapManagedInstance(raw: unknown, path: string): ManagedInstance {
  const o = asObject(INFO, raw, path);
  return {
    instanceId: reqString(INFO, o, 'InstanceId', path),
    // SSM omits PingStatus for instances it has never heard from.
    pingStatus: optString(INFO, o, 'PingStatus', path) ?? 'Inactive',
    lastPingAt: optTimestamp(INFO, o, 'LastPingDateTime', path),
    platformName: optString(INFO, o, 'PlatformName', path),
    agentVersion: optString(INFO, o, 'AgentVersion', path),
  };
}

/**
 * Maps one `InstancePatchStates[]` entry. Absent counts are zero; an unknown Operation is carried.
 * @param path JSON path of `raw`, for errors, e.g. `$.InstancePatchStates[3]`.
 */
export function mapPatchState(raw: unknown, path: string): PatchState {
  const o = asObject(PATCH, raw, path);
  return {
    instanceId: reqString(PATCH, o, 'InstanceId', path),
    patchGroup: optString(PATCH, o, 'PatchGroup', path),
    baselineId: optString(PATCH, o, 'BaselineId', path),
    installedCount: optCount(PATCH, o, 'InstalledCount', path),
    missingCount: optCount(PATCH, o, 'MissingCount', path),
    failedCount: optCount(PATCH, o, 'FailedCount', path),
    installedPendingRebootCount: optCount(PATCH, o, 'InstalledPendingRebootCount', path),
    criticalNonCompliantCount: optCount(PATCH, o, 'CriticalNonCompliantCount', path),
    securityNonCompliantCount: optCount(PATCH, o, 'SecurityNonCompliantCount', path),
    otherNonCompliantCount: optCount(PATCH, o, 'OtherNonCompliantCount', path),
    operation: reqString(PATCH, o, 'Operation', path),
    operationStartTime: optTimestamp(PATCH, o, 'OperationStartTime', path),
    operationEndTime: optTimestamp(PATCH, o, 'OperationEndTime', path),
    rebootOption: optString(PATCH, o, 'RebootOption', path),
  };
}
