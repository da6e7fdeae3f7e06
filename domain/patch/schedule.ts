/**
 * Scheduled patching through an SSM maintenance window: a recurring window, its targets (instances
 * or a patch group), and a RUN_COMMAND task running AWS-RunPatchBaseline Install. Checked here
 * against the limits of the SSM API, so a bad schedule is refused before any call.
 */
import type { Actor } from '../access/actor.js';
import { authorize } from '../access/authorize.js';
import { ValidationError } from '../errors.js';
import type { Policy } from '../policy.js';
import type { RebootOption } from './run.js';
import { checkScheduleExpression } from './schedule-expression.js';

/** Every window this tool creates is named with this prefix; only those are listed or deleted. */
export const SCHEDULE_PREFIX = 'sre-ops-';
/** RegisterTargetWithMaintenanceWindow takes at most 50 values a target. */
export const MAX_SCHEDULE_INSTANCES = 50;

export type ScheduleTarget =
  | { readonly kind: 'instances'; readonly instanceIds: readonly string[] }
  | { readonly kind: 'patch-group'; readonly tagKey: string; readonly value: string };

export interface ScheduleSpec {
  readonly name: string;
  readonly schedule: string;
  readonly durationHours: number;
  readonly cutoffHours: number;
  readonly target: ScheduleTarget;
  readonly rebootOption: RebootOption;
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  readonly alarms: readonly string[];
}

export interface ScheduleInput {
  /** Resolved instance ids; empty when a patch group is given. */
  readonly instanceIds: readonly string[];
  readonly patchGroup?: string;
  readonly schedule: string;
  readonly durationHours?: number;
  readonly cutoffHours?: number;
  readonly reboot?: string;
  readonly name?: string;
  readonly actor: Actor;
  readonly policy: Policy;
  /** Makes the default name unique ("sre-ops-patch-<suffix>"). */
  readonly suffix: string;
}

const NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;

/**
 * The spec of a schedule: approver or admin (a schedule installs patches again and again with no
 * approval per run); a cron, rate or at expression by SSM's rules (schedule-expression.ts); duration 1 to 24 hours; cutoff
 * below the duration; instances (at most 50) or a patch group, not both.
 * @throws ForbiddenError, ValidationError naming the field.
 */
export function scheduleSpec(input: ScheduleInput): ScheduleSpec {
  authorize(input.actor, 'schedule');
  const schedule = typeof input.schedule === 'string' ? input.schedule.trim() : '';
  checkScheduleExpression(schedule);
  const duration = input.durationHours ?? input.policy.patchWindow.durationHours;
  if (!Number.isInteger(duration) || duration < 1 || duration > 24) throw new ValidationError('durationHours', 'a whole number of hours from 1 to 24', `durationHours: expected a whole number from 1 to 24, got ${duration}`);
  const cutoff = input.cutoffHours ?? Math.min(1, duration - 1);
  if (!Number.isInteger(cutoff) || cutoff < 0 || cutoff >= duration) throw new ValidationError('cutoffHours', `a whole number of hours from 0 to ${duration - 1}`, `cutoffHours: expected a whole number from 0 to ${duration - 1} (below the duration), got ${cutoff}`);
  const reboot = input.reboot ?? 'if-needed';
  if (reboot !== 'if-needed' && reboot !== 'never') throw new ValidationError('reboot', 'if-needed or never', `reboot: expected if-needed or never, got ${JSON.stringify(reboot)}`);

  const group = input.patchGroup?.trim();
  let target: ScheduleTarget;
  if (group) {
    if (input.instanceIds.length) throw new ValidationError('patchGroup', 'either instances or a patch group, not both', 'patchGroup: give either instances or a patch group, not both');
    target = { kind: 'patch-group', tagKey: input.policy.tags.patchGroup, value: group };
  } else {
    const ids = [...new Set(input.instanceIds)];
    if (!ids.length) throw new ValidationError('instances', 'at least one instance, or a patch group', 'instances: name at least one instance, or a patch group');
    if (ids.length > MAX_SCHEDULE_INSTANCES) throw new ValidationError('instances', `at most ${MAX_SCHEDULE_INSTANCES} instances (use a patch group for more)`, `instances: at most ${MAX_SCHEDULE_INSTANCES} per schedule, got ${ids.length}; tag them with a patch group instead`);
    target = { kind: 'instances', instanceIds: ids };
  }

  const given = input.name?.trim();
  const name = given ? (given.startsWith(SCHEDULE_PREFIX) ? given : `${SCHEDULE_PREFIX}${given}`) : `${SCHEDULE_PREFIX}patch-${input.suffix}`;
  if (!NAME.test(name)) throw new ValidationError('name', '3 to 128 letters, digits, _ - or .', `name: expected letters, digits, _ - or . (at most 128 with the "${SCHEDULE_PREFIX}" prefix), got ${JSON.stringify(input.name)}`);
  return {
    name,
    schedule,
    durationHours: duration,
    cutoffHours: cutoff,
    target,
    rebootOption: reboot === 'never' ? 'NoReboot' : 'RebootIfNeeded',
    maxConcurrency: input.policy.rollout.maxConcurrency,
    maxErrors: input.policy.rollout.maxErrors,
    alarms: input.policy.rollout.alarms,
  };
}
