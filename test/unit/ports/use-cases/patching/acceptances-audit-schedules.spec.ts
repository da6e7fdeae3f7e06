import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../../../domain/errors.js';
import type { ScheduleSpec } from '../../../../../domain/patch/schedule.js';
import { DAY_MS } from '../../../../../domain/time.js';
import { AssessFleet } from '../../../../../ports/use-cases/assessment/assess-fleet.use-case.js';
import type { MaintenanceWindows, PatchSchedule } from '../../../../../ports/outbound/maintenance-window.port.js';
import { ADMIN, ALICE, BOB, VIEWER } from '../../../../patch-builders.js';
import { harness, IDS, NOW, world } from './harness.js';

chai.use(chaiAsPromised);
const { expect } = chai;

class FakeWindows implements MaintenanceWindows {
  readonly created: { spec: ScheduleSpec; token: string }[] = [];
  readonly windows = new Map<string, PatchSchedule>();
  async create(spec: ScheduleSpec, token: string): Promise<PatchSchedule> {
    this.created.push({ spec, token });
    const w: PatchSchedule = {
      windowId: `mw-${this.created.length}`, name: spec.name, schedule: spec.schedule, durationHours: spec.durationHours, cutoffHours: spec.cutoffHours,
      targets: spec.target.kind === 'instances' ? [...spec.target.instanceIds] : [`tag:${spec.target.tagKey}=${spec.target.value}`], enabled: true,
    };
    this.windows.set(w.windowId, w);
    return w;
  }
  async list(): Promise<readonly PatchSchedule[]> {
    return [...this.windows.values()];
  }
  async get(id: string): Promise<PatchSchedule | null> {
    return this.windows.get(id) ?? null;
  }
  async remove(id: string): Promise<void> {
    this.windows.delete(id);
  }
}

describe('patch use cases: risk acceptances, audit log, schedules', () => {
  describe('acceptances', () => {
    it('an approver accepts a CVE on an instance by name; the id is resolved and the acceptance audited', async () => {
      const h = harness();

      const a = await h.ops.acceptRisk(BOB, { vulnerabilityId: 'CVE-2024-6387', instance: 'web-1', until: '2026-12-31', reason: 'sshd bound to localhost' });

      expect(a).to.deep.include({ vulnerabilityId: 'CVE-2024-6387', instanceId: IDS.prod1, acceptedBy: 'bob', until: '2026-12-31T23:59:59.999Z', expired: false, revokedBy: null });
      expect(h.store.audit[0]).to.deep.include({ action: 'risk.accept', target: a.id, result: 'ok' });
      expect(h.store.audit[0]?.detail).to.equal(`CVE-2024-6387 on ${IDS.prod1} until 2026-12-31T23:59:59.999Z: sshd bound to localhost`);
    });

    it('on an organization read, the finding that must match is the named account\'s: another account\'s instance of the same id does not count', async () => {
      const [A, B, R] = ['111111111111', '222222222222', 'us-east-1'];
      const base = world();
      const web = (base.assets ?? []).find((a) => a.instanceId === IDS.prod1)!;
      // The same id in A and B; only B's instance has the finding.
      const finding = (base.findings ?? []).find((f) => f.instanceId === IDS.prod1)!;
      const h = harness({ world: { assets: [{ ...web, accountId: A, region: R }, { ...web, accountId: B, region: R, name: 'web-1-b' }], findings: [{ ...finding, accountId: B, region: R }] } });
      const vuln = finding.vulnerabilityId as string;

      await expect(h.ops.acceptRisk(BOB, { vulnerabilityId: vuln, instance: `${A}/${R}/${IDS.prod1}`, until: '2026-12-31', reason: 'x' }))
        .to.be.rejectedWith(ValidationError, `vulnerabilityId: ${vuln} matches no finding on ${A}/${R}/${IDS.prod1}`);
      const b = await h.ops.acceptRisk(BOB, { vulnerabilityId: vuln, instance: `${B}/${R}/${IDS.prod1}`, until: '2026-12-31', reason: 'x' });

      expect(b).to.deep.include({ instanceId: IDS.prod1, accountId: B, region: R });
      expect(h.store.audit.find((e) => e.result === 'ok')?.detail).to.equal(`${vuln} on ${B}/${R}/${IDS.prod1} until 2026-12-31T23:59:59.999Z: x`);
    });

    it('operators and viewers may not accept risks', async () => {
      const h = harness();

      await expect(h.ops.acceptRisk(ALICE, { vulnerabilityId: 'CVE-2024-6387', until: '2026-12-31', reason: 'x' })).to.be.rejectedWith(ForbiddenError);
      expect(h.store.acceptances.size).to.equal(0);
      expect(h.store.audit[0]?.result).to.equal('denied');
    });

    it('the core\'s reports count an accepted finding out until the acceptance expires (fake clock), then in again', async () => {
      const h = harness();
      await h.ops.acceptRisk(BOB, { vulnerabilityId: 'CVE-2024-6387', instance: null, until: '2026-11-20', reason: 'fleet-wide mitigation' });
      let t = NOW;
      const assess = new AssessFleet({ ...h.core, acceptances: h.store, clock: { now: () => t } });

      const during = await assess.execute();
      t = Date.parse('2026-11-21T00:00:00Z');
      const after = await assess.execute();

      expect(during.summary.accepted).to.equal(5);
      expect(during.assets.every((a) => a.findings.length === 0)).to.equal(true);
      expect(after.summary.accepted).to.equal(0);
      expect(after.assets.every((a) => a.findings.length === 1)).to.equal(true);
    });

    it('lists those in force, or all with expired and revoked ones; revoking ends one now', async () => {
      const h = harness();
      // Ids no finding of the harness fleet is known by: forced.
      const a = await h.ops.acceptRisk(BOB, { vulnerabilityId: 'CVE-2024-1', until: '2026-11-30', reason: 'a', force: true });
      await h.ops.acceptRisk(BOB, { vulnerabilityId: 'CVE-2024-2', until: '2026-11-12', reason: 'b', force: true });
      h.clock.t = Date.parse('2026-11-15T00:00:00Z');

      const revoked = await h.ops.revokeAcceptance(ADMIN, a.id);

      expect(revoked).to.deep.include({ expired: true, revokedBy: 'ada', until: '2026-11-15T00:00:00.000Z' });
      expect(await h.ops.listAcceptances(VIEWER)).to.deep.equal([]);
      expect((await h.ops.listAcceptances(VIEWER, { includeExpired: true })).map((x) => x.vulnerabilityId).sort()).to.deep.equal(['CVE-2024-1', 'CVE-2024-2']);
      await expect(h.ops.revokeAcceptance(ADMIN, a.id)).to.be.rejectedWith(ConflictError, /already revoked/);
      await expect(h.ops.revokeAcceptance(ADMIN, 'acc-nope')).to.be.rejectedWith(NotFoundError);
    });
  });

  describe('audit log', () => {
    it('lists newest first, by target and since a date; never stores a secret pasted into a reason', async () => {
      const h = harness();
      const r = await h.ops.requestPatchRun(ALICE, { instances: ['web-1'], reason: 'creds AKIAIOSFODNN7EXAMPLE leaked, rotate' });
      h.clock.t += DAY_MS;
      await h.ops.approvePatchRun(BOB, r.id, 'token=abc123secret');

      const all = await h.ops.listAudit(VIEWER);
      const recent = await h.ops.listAudit(VIEWER, { since: new Date(NOW + DAY_MS).toISOString().slice(0, 10) });

      expect(all.map((e) => e.action)).to.deep.equal(['patch-run.approve', 'patch-run.request']);
      expect(recent.map((e) => e.action)).to.deep.equal(['patch-run.approve']);
      expect((await h.ops.listAudit(VIEWER, { target: 'r-other' }))).to.deep.equal([]);
      expect(JSON.stringify(h.store.audit)).to.not.include('abc123secret');
      // The run keeps the reason as written (the requester's words); only the log redacts.
      expect(all[0]).to.deep.include({ actor: 'bob', via: 'cli', target: r.id, result: 'ok' });
      await expect(h.ops.listAudit(VIEWER, { since: 'yesterday' })).to.be.rejectedWith(ValidationError, /since/);
    });
  });

  describe('schedules', () => {
    it('an approver schedules instances by name; listed and deleted through the maintenance windows, each audited', async () => {
      const windows = new FakeWindows();
      const h = harness({ windows });

      const s = await h.ops.schedulePatching(BOB, { instances: ['web-1', 'web-2'], schedule: 'cron(0 3 ? * SUN *)', name: 'web-weekly' });
      const listed = await h.ops.listSchedules(VIEWER);
      const gone = await h.ops.cancelSchedule(BOB, s.windowId);

      expect(s).to.deep.include({ windowId: 'mw-1', name: 'sre-ops-web-weekly', durationHours: 3, cutoffHours: 1 });
      expect(windows.created[0]?.spec.target).to.deep.equal({ kind: 'instances', instanceIds: [IDS.prod1, IDS.prod2] });
      expect(windows.created[0]?.spec.alarms).to.deep.equal(['web-5xx']);
      expect(listed.map((w) => w.windowId)).to.deep.equal(['mw-1']);
      expect(gone.windowId).to.equal('mw-1');
      expect(await h.ops.listSchedules(VIEWER)).to.deep.equal([]);
      expect(h.store.audit.map((e) => [e.action, e.target, e.result])).to.deep.equal([['schedule.create', 'mw-1', 'ok'], ['schedule.delete', 'mw-1', 'ok']]);
    });

    it('operators may not schedule; an unknown window is NotFound', async () => {
      const h = harness({ windows: new FakeWindows() });

      await expect(h.ops.schedulePatching(ALICE, { patchGroup: 'web', schedule: 'rate(7 days)' })).to.be.rejectedWith(ForbiddenError);
      await expect(h.ops.cancelSchedule(BOB, 'mw-9')).to.be.rejectedWith(NotFoundError);
    });

    it('a source without maintenance windows says why', async () => {
      const h = harness({ windows: null });

      await expect(h.ops.listSchedules(VIEWER)).to.be.rejectedWith(ValidationError, 'this source cannot execute patch runs (test)');
    });
  });
});
