import { expect } from 'chai';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { AcceptanceReport } from '../../../ports/inbound/acceptances/acceptances.port.js';
import type { PatchRunReport } from '../../../ports/inbound/patching/patch-runs.port.js';
import { demoAssistant, FakePatchOperations, startTestServer, withPatchOperations, type TestServer } from './http-test-kit.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { field?: string; requiredScope?: string } };
}

describe('HTTP API: patch runs, approvals, acceptances and audit (against PatchOperations)', function () {
  this.timeout(30_000);
  let demo: Assistant;
  let dispose: () => Promise<void>;
  let fake: FakePatchOperations;
  let api: TestServer;

  before(async () => ({ assistant: demo, dispose } = await demoAssistant()));
  after(() => dispose());
  beforeEach(async () => {
    fake = new FakePatchOperations();
    api = await startTestServer({ assistant: withPatchOperations(demo, fake) });
  });
  afterEach(() => api.close());

  async function requestRun(body: unknown = { instances: ['web-1'], reason: 'CVE-2024-6387' }): Promise<PatchRunReport> {
    const r = await api.post('/v1/patch-runs', body, 'operator');
    expect(r.status, await r.clone().text()).to.equal(201);
    return (await r.json()) as PatchRunReport;
  }

  it('POST /v1/patch-runs → 201 with Location; the key\'s name is the actor, its scopes the roles', async () => {
    const r = await api.post('/v1/patch-runs', { instances: ['web-1', 'web-2'], dryRun: true, reboot: 'never', idempotencyKey: 'ticket-42', reason: 'KEV' }, 'operator');
    const run = (await r.json()) as PatchRunReport;

    expect(r.status).to.equal(201);
    expect(r.headers.get('location')).to.equal(`/v1/patch-runs/${run.id}`);
    expect(run).to.include({ status: 'requested', requestedBy: 'ops-bot', operation: 'Scan', rebootOption: 'NoReboot' });
    expect(fake.calls).to.have.length(1);
    expect(fake.calls[0]?.op).to.equal('requestPatchRun');
    expect(fake.calls[0]?.actor).to.deep.equal({ id: 'ops-bot', roles: ['viewer', 'operator'], via: 'http' });
    expect(fake.calls[0]?.args[0]).to.deep.equal({ instances: ['web-1', 'web-2'], dryRun: true, reboot: 'never', idempotencyKey: 'ticket-42', reason: 'KEV' });
  });

  it('POST /v1/patch-runs validates the body and names the field, before the core is called', async () => {
    const cases: [unknown, string, string][] = [
      [{}, 'body.instances', 'body.instances: expected either instances or fromPlan: true (not both, not neither)'],
      [{ instances: ['web-1'], fromPlan: true }, 'body.instances', 'body.instances: expected either instances or fromPlan: true (not both, not neither)'],
      [{ instances: [] }, 'body.instances', 'body.instances: expected at least one instance'],
      [{ instances: [''] }, 'body.instances[0]', 'body.instances[0]: expected an instance id or Name tag, got ""'],
      [{ instances: ['web-1'], reboot: 'always' }, 'body.reboot', 'body.reboot: Invalid option: expected one of "if-needed"|"never", got "always"'],
      [{ instances: ['web-1'], dryrun: true }, 'body.dryrun', 'body.dryrun: unknown field'],
      [{ instances: 'web-1' }, 'body.instances', 'body.instances: expected array, received string, got "web-1"'],
      [['web-1'], 'body', 'body: expected object, received array'],
    ];
    for (const [body, field, message] of cases) {
      const r = await api.post('/v1/patch-runs', body, 'operator');
      const e = ((await r.json()) as ErrorBody).error;
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(e.details?.field, JSON.stringify(body)).to.equal(field);
      expect(e.message, JSON.stringify(body)).to.equal(message);
    }
    const none = await fetch(`${api.base}/v1/patch-runs`, { method: 'POST', headers: { 'x-api-key': 'k-operator-0123456789' } });
    expect(none.status).to.equal(400);
    expect(((await none.json()) as ErrorBody).error.message).to.equal('body: required');
    expect(fake.calls).to.deep.equal([]);
  });

  it('requesting needs the operate scope; reading runs needs read', async () => {
    const byReader = await api.post('/v1/patch-runs', { fromPlan: true }, 'reader');
    const run = await requestRun({ fromPlan: true });
    const list = await api.get('/v1/patch-runs', 'reader');
    const one = await api.get(`/v1/patch-runs/${run.id}`, 'reader');
    const byApproveOnly = await api.get(`/v1/patch-runs/${run.id}`, 'approveOnly');

    expect(byReader.status).to.equal(403);
    expect(((await byReader.json()) as ErrorBody).error.details?.requiredScope).to.equal('operate');
    expect(((await list.json()) as { runs: PatchRunReport[] }).runs.map((r) => r.id)).to.deep.equal([run.id]);
    expect(((await one.json()) as PatchRunReport).id).to.equal(run.id);
    expect(byApproveOnly.status).to.equal(403);
  });

  it('GET /v1/patch-runs passes the status filter and limit; an unknown run is 404', async () => {
    await requestRun();
    const filtered = await api.get('/v1/patch-runs?status=approved,running&limit=5', 'reader');
    const unknown = await api.get('/v1/patch-runs/run-404', 'reader');

    expect(((await filtered.json()) as { runs: unknown[] }).runs).to.deep.equal([]);
    expect(fake.calls.find((c) => c.op === 'listPatchRuns')?.args[0]).to.deep.equal({ status: ['approved', 'running'], limit: 5 });
    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as ErrorBody).error.code).to.equal('NOT_FOUND');
  });

  it('approve (approve scope) records the approver and the comment; approving twice is a 409', async () => {
    const run = await requestRun();
    const byOperator = await api.post(`/v1/patch-runs/${run.id}/approve`, {}, 'operator');
    const approved = await api.post(`/v1/patch-runs/${run.id}/approve`, { comment: 'go' }, 'approver');
    const again = await api.post(`/v1/patch-runs/${run.id}/approve`, {}, 'approver');

    expect(byOperator.status).to.equal(403);
    expect(approved.status).to.equal(200);
    const body = (await approved.json()) as PatchRunReport;
    expect(body.status).to.equal('approved');
    expect(body.approvals).to.deep.equal([{ by: 'alice', at: '2026-11-20T12:00:00.000Z', decision: 'approved', comment: 'go' }]);
    expect(again.status).to.equal(409);
    expect(((await again.json()) as ErrorBody).error.code).to.equal('INVALID_STATE');
  });

  it('approve and reject take an empty body; the core refusing a self-approval is a 403', async () => {
    const fakeSelf = new FakePatchOperations();
    const self = await startTestServer({ assistant: withPatchOperations(demo, fakeSelf), keys: [{ name: 'solo', sha256: (await import('../../../adapters/inbound/http/api-keys.js')).sha256Hex('k-solo'), scopes: ['read', 'operate', 'approve'] }] });
    try {
      const run = (await (await fetch(`${self.base}/v1/patch-runs`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k-solo' }, body: '{"fromPlan":true}' })).json()) as PatchRunReport;
      const own = await fetch(`${self.base}/v1/patch-runs/${run.id}/approve`, { method: 'POST', headers: { 'x-api-key': 'k-solo' } });
      const rejected = await fetch(`${self.base}/v1/patch-runs/${run.id}/reject`, { method: 'POST', headers: { 'x-api-key': 'k-solo' } });

      expect(own.status).to.equal(403);
      expect(((await own.json()) as ErrorBody).error.message).to.equal(`solo requested run ${run.id} and may not approve it`);
      expect(rejected.status).to.equal(200);
      expect(((await rejected.json()) as PatchRunReport).status).to.equal('rejected');
      expect(fakeSelf.calls.find((c) => c.op === 'rejectPatchRun')?.args).to.deep.equal([run.id, undefined]);
    } finally {
      await self.close();
    }
  });

  it('POST /v1/acceptances (approve scope) → 201; GET lists them, with includeExpired passed on', async () => {
    const byOperator = await api.post('/v1/acceptances', { vulnerabilityId: 'CVE-2024-6387', until: '2027-01-31', reason: 'no exposure' }, 'operator');
    const created = await api.post('/v1/acceptances', { vulnerabilityId: 'CVE-2024-6387', instance: 'web-1', until: '2027-01-31', reason: 'no exposure' }, 'approver');
    const badDate = await api.post('/v1/acceptances', { vulnerabilityId: 'CVE-2024-6387', until: 'next tuesday', reason: 'x' }, 'approver');
    const list = await api.get('/v1/acceptances?includeExpired=true', 'reader');

    expect(byOperator.status).to.equal(403);
    expect(created.status).to.equal(201);
    expect(await created.json()).to.include({ vulnerabilityId: 'CVE-2024-6387', instanceId: 'web-1', acceptedBy: 'alice', until: '2027-01-31T00:00:00.000Z' });
    expect(badDate.status).to.equal(400);
    expect(((await badDate.json()) as ErrorBody).error.details?.field).to.equal('body.until');
    expect(((await list.json()) as { acceptances: unknown[] }).acceptances).to.have.length(1);
    expect(fake.calls.find((c) => c.op === 'listAcceptances')?.args[0]).to.deep.equal({ includeExpired: true });
  });

  it('POST /v1/acceptances/{id}/revoke (approve scope) ends an acceptance in the real SQLite store, audited; unknown 404, twice 409', async () => {
    const real = await startTestServer({ assistant: demo });
    try {
      const created = await real.post('/v1/acceptances', { vulnerabilityId: 'CVE-2024-6387', instance: 'web-1', until: '2027-01-31', reason: 'to revoke', force: true }, 'approver');
      expect(created.status, await created.clone().text()).to.equal(201);
      const { id } = (await created.json()) as AcceptanceReport;
      const before = Date.now();

      const byOperator = await real.post(`/v1/acceptances/${id}/revoke`, {}, 'operator');
      const unknown = await real.post('/v1/acceptances/acc-0000000000/revoke', {}, 'approver');
      const badBody = await real.post(`/v1/acceptances/${id}/revoke`, { reason: 'x' }, 'approver');
      const revoked = await real.post(`/v1/acceptances/${id}/revoke`, undefined, 'approveOnly');
      const again = await real.post(`/v1/acceptances/${id}/revoke`, {}, 'approver');
      const listed = (await (await real.get('/v1/acceptances?includeExpired=true', 'reader')).json()) as { acceptances: AcceptanceReport[] };
      const audit = (await (await real.get(`/v1/audit?target=${id}`, 'reader')).json()) as { entries: { actor: string; via: string; action: string }[] };

      expect(byOperator.status).to.equal(403);
      expect(((await byOperator.json()) as ErrorBody).error.details?.requiredScope).to.equal('approve');
      expect(unknown.status).to.equal(404);
      expect(((await unknown.json()) as ErrorBody).error.message).to.contain('acc-0000000000');
      expect(badBody.status).to.equal(400);
      expect(revoked.status, await revoked.clone().text()).to.equal(200);
      const body = (await revoked.json()) as AcceptanceReport;
      expect(body).to.include({ id, revokedBy: 'bob', until: body.revokedAt, expired: true });
      expect(Date.parse(body.revokedAt ?? '')).to.be.within(before, Date.now()); // the write's clock is the real one (NOW only fixes the fleet's as-of)
      expect(again.status).to.equal(409);
      expect(((await again.json()) as ErrorBody).error.message).to.contain(`acceptance ${id} was already revoked by bob`);
      expect(listed.acceptances.find((a) => a.id === id)).to.include({ revokedBy: 'bob', expired: true });
      expect(audit.entries.map((e) => `${e.action} ${e.actor} ${e.via}`)).to.include.members(['risk.accept alice http', 'risk.revoke bob http']);
    } finally {
      await real.close();
    }
  });

  it('GET /v1/audit answers the entries and passes limit, since and target', async () => {
    const run = await requestRun();
    const r = await api.get(`/v1/audit?limit=10&since=2026-11-01&target=${run.id}`, 'reader');
    const body = (await r.json()) as { entries: { actor: string; via: string; action: string; target: string }[] };
    const badSince = await api.get('/v1/audit?since=yesterday', 'reader');

    expect(r.status).to.equal(200);
    expect(body.entries[0]).to.include({ actor: 'ops-bot', via: 'http', action: 'patch-run.request', target: run.id });
    expect(fake.calls.find((c) => c.op === 'listAudit')?.args[0]).to.deep.equal({ limit: 10, since: '2026-11-01', target: run.id });
    expect(badSince.status).to.equal(400);
  });

  it('the real patch operations answer through the same routes (a run on the demo fleet)', async () => {
    const real = await startTestServer({ assistant: demo });
    try {
      const r = await real.post('/v1/patch-runs', { instances: ['dev-sandbox'], dryRun: true, reason: 'http test' }, 'operator');
      const text = await r.text();
      const listed = await real.get('/v1/patch-runs', 'reader');

      expect(r.status, text).to.equal(201);
      const run = JSON.parse(text) as PatchRunReport;
      expect(run.requestedBy).to.equal('ops-bot');
      expect(((await listed.json()) as { runs: PatchRunReport[] }).runs.map((x) => x.id)).to.include(run.id);
    } finally {
      await real.close();
    }
  });
});
