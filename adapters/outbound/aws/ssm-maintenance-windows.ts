import {
  CreateMaintenanceWindowCommand, DeleteMaintenanceWindowCommand, DescribeMaintenanceWindowTargetsCommand, DescribeMaintenanceWindowsCommand,
  RegisterTargetWithMaintenanceWindowCommand, RegisterTaskWithMaintenanceWindowCommand, type MaintenanceWindowIdentity, type SSMClient, type Target,
} from '@aws-sdk/client-ssm';
import { SCHEDULE_PREFIX, type ScheduleSpec } from '../../../domain/patch/schedule.js';
import type { MaintenanceWindows, PatchSchedule } from '../../../ports/outbound/maintenance-window.port.js';
import { callAws } from './aws-errors.js';
import { PATCH_DOCUMENT } from './ssm-patch-runner.js';

function targetsOf(spec: ScheduleSpec): Target[] {
  return spec.target.kind === 'instances'
    ? [{ Key: 'InstanceIds', Values: [...spec.target.instanceIds] }]
    : [{ Key: `tag:${spec.target.tagKey}`, Values: [spec.target.value] }];
}

function targetText(t: Target): string[] {
  if (t.Key === 'InstanceIds') return t.Values ?? [];
  return (t.Values ?? []).map((v) => `${t.Key}=${v}`);
}

/**
 * Patch schedules as SSM maintenance windows: CreateMaintenanceWindow, RegisterTargetWith-
 * MaintenanceWindow and RegisterTaskWithMaintenanceWindow (RUN_COMMAND, AWS-RunPatchBaseline
 * Install). Only windows named with SCHEDULE_PREFIX are this tool's: others are never listed,
 * returned or deleted, so a mistyped id cannot remove someone else's window.
 */
export class SsmMaintenanceWindows implements MaintenanceWindows {
  constructor(private readonly client: SSMClient) {}

  async create(spec: ScheduleSpec, clientToken: string): Promise<PatchSchedule> {
    const token = clientToken.slice(0, 60);
    const created = await callAws('ssm', 'CreateMaintenanceWindow', () =>
      this.client.send(new CreateMaintenanceWindowCommand({
        Name: spec.name,
        Description: 'Patching scheduled by sre-ops-assistant (AWS-RunPatchBaseline Install)',
        Schedule: spec.schedule,
        ScheduleTimezone: 'UTC',
        Duration: spec.durationHours,
        Cutoff: spec.cutoffHours,
        AllowUnassociatedTargets: false,
        ClientToken: `${token}-w`,
      })),
    );
    const windowId = created.WindowId;
    if (!windowId) throw new Error('invariant: CreateMaintenanceWindow answered without a WindowId');
    try {
      const target = await callAws('ssm', 'RegisterTargetWithMaintenanceWindow', () =>
        this.client.send(new RegisterTargetWithMaintenanceWindowCommand({
          WindowId: windowId,
          ResourceType: 'INSTANCE',
          Targets: targetsOf(spec),
          Name: `${spec.name}-targets`.slice(0, 128),
          ClientToken: `${token}-t`,
        })),
      );
      await callAws('ssm', 'RegisterTaskWithMaintenanceWindow', () =>
        this.client.send(new RegisterTaskWithMaintenanceWindowCommand({
          WindowId: windowId,
          TaskType: 'RUN_COMMAND',
          TaskArn: PATCH_DOCUMENT,
          Targets: [{ Key: 'WindowTargetIds', Values: [target.WindowTargetId as string] }],
          MaxConcurrency: spec.maxConcurrency,
          MaxErrors: spec.maxErrors,
          Name: `${spec.name}-task`.slice(0, 128),
          TaskInvocationParameters: {
            RunCommand: { Parameters: { Operation: ['Install'], RebootOption: [spec.rebootOption] } },
          },
          ...(spec.alarms[0] ? { AlarmConfiguration: { Alarms: [{ Name: spec.alarms[0] }], IgnorePollAlarmFailure: false } } : {}),
          ClientToken: `${token}-k`,
        })),
      );
    } catch (err) {
      // A window without its target or task would look scheduled and patch nothing.
      await this.client.send(new DeleteMaintenanceWindowCommand({ WindowId: windowId })).catch(() => undefined);
      throw err;
    }
    return {
      windowId,
      name: spec.name,
      schedule: spec.schedule,
      durationHours: spec.durationHours,
      cutoffHours: spec.cutoffHours,
      targets: targetsOf(spec).flatMap(targetText),
      enabled: true,
    };
  }

  async list(): Promise<readonly PatchSchedule[]> {
    const windows: MaintenanceWindowIdentity[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws('ssm', 'DescribeMaintenanceWindows', () =>
        this.client.send(new DescribeMaintenanceWindowsCommand({ MaxResults: 50, NextToken: nextToken })),
      );
      windows.push(...(page.WindowIdentities ?? []).filter((w) => w.Name?.startsWith(SCHEDULE_PREFIX)));
      nextToken = page.NextToken;
    } while (nextToken);
    const out: PatchSchedule[] = [];
    for (const w of windows) out.push(await this.withTargets(w));
    return out;
  }

  async get(windowId: string): Promise<PatchSchedule | null> {
    return (await this.list()).find((w) => w.windowId === windowId) ?? null;
  }

  private async withTargets(w: MaintenanceWindowIdentity): Promise<PatchSchedule> {
    const targets: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws('ssm', 'DescribeMaintenanceWindowTargets', () =>
        this.client.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId: w.WindowId, MaxResults: 50, NextToken: nextToken })),
      );
      for (const t of page.Targets ?? []) for (const target of t.Targets ?? []) targets.push(...targetText(target));
      nextToken = page.NextToken;
    } while (nextToken);
    return {
      windowId: w.WindowId as string,
      name: w.Name as string,
      schedule: w.Schedule ?? '',
      durationHours: w.Duration ?? 0,
      cutoffHours: w.Cutoff ?? 0,
      targets,
      enabled: w.Enabled ?? true,
    };
  }

  async remove(windowId: string): Promise<void> {
    await callAws('ssm', 'DeleteMaintenanceWindow', () => this.client.send(new DeleteMaintenanceWindowCommand({ WindowId: windowId })));
  }
}
