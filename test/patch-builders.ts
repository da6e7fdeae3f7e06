/** Builders for patch-operation records: realistic defaults, override what the test is about. */
import type { Actor, Role } from '../domain/access/actor.js';
import type { AuditEntry } from '../domain/access/audit.js';
import type { AcceptanceRecord } from '../domain/patch/acceptance.js';
import { newPatchRun, type PatchRun, type RunTarget } from '../domain/patch/run.js';
import { DEFAULT_POLICY, type Policy } from '../domain/policy.js';
import { T0 } from './builders.js';

export function anActor(id: string, ...roles: Role[]): Actor {
  return { id, roles, via: 'cli' };
}

export const ALICE = anActor('alice', 'operator');
export const BOB = anActor('bob', 'approver');
export const VIEWER = anActor('vic', 'viewer');
export const ADMIN = anActor('ada', 'admin');

export function aTarget(over: Partial<RunTarget> = {}): RunTarget {
  return { instanceId: 'i-0000000000000a001', name: 'web-1', production: false, decision: 'next-window', riskScore: 50, autoScalingGroup: null, ...over };
}

/** Targets i-...01 .. i-...0n, non-production, next-window. */
export function targets(n: number, over: Partial<RunTarget> = {}): RunTarget[] {
  return Array.from({ length: n }, (_, k) => aTarget({ instanceId: `i-00000000000000${String(k + 1).padStart(3, '0')}`, name: `host-${k + 1}`, riskScore: 50 + k, ...over }));
}

export function aRun(over: { targets?: readonly RunTarget[]; dryRun?: boolean; actor?: Actor; id?: string; now?: number; policy?: Policy; simulated?: boolean } = {}): PatchRun {
  return newPatchRun({
    id: over.id ?? 'r-20261101-000000-abcdef',
    source: 'test',
    simulated: over.simulated ?? false,
    actor: over.actor ?? ALICE,
    now: over.now ?? T0,
    snapshotId: '3f0c7a4e-1111-4c1b-9d5e-000000000001',
    targets: over.targets ?? [aTarget()],
    groupSizes: new Map(),
    dryRun: over.dryRun ?? false,
    reboot: 'if-needed',
    reason: 'monthly patching',
    idempotencyKey: null,
    policy: over.policy ?? DEFAULT_POLICY,
  });
}

export function anAuditEntry(over: Partial<AuditEntry> = {}): AuditEntry {
  return { id: 'a-1', at: T0, actor: 'alice', via: 'cli', action: 'patch-run.request', target: 'r-1', result: 'ok', detail: null, ...over };
}

export function anAcceptanceRecord(over: Partial<AcceptanceRecord> = {}): AcceptanceRecord {
  return {
    id: 'acc-1', vulnerabilityId: 'CVE-2024-6387', instanceId: 'i-0000000000000a001', reason: 'not exposed', acceptedBy: 'bob',
    acceptedAt: T0, until: T0 + 30 * 86_400_000, revokedBy: null, revokedAt: null, version: 0, ...over,
  };
}
