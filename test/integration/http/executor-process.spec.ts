import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../adapters/inbound/http/api-keys.js';
import type { PatchRunReport } from '../../../ports/inbound/patching/patch-runs.port.js';
import { serverCommand, spawnServer, type ServerProcess } from './server-process.js';

const KEY = 'k-executor-test-0123456789';
const KEYS_JSON = JSON.stringify([{ name: 'ops-bot', sha256: sha256Hex(KEY), scopes: ['read', 'operate'] }]);

/**
 * The executor inside the service process (SRE_OPS_EXECUTOR): a run requested over HTTP is
 * driven to its end by the server itself, nobody calling `run`. The demo fleet's simulated runner
 * and a real SQLite state file.
 */
describe('the HTTP service process with the patch executor (spawned)', function () {
  this.timeout(60_000);
  let home: string;
  let running: ServerProcess | undefined;

  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'sre-ops-executor-'))));
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    rmSync(home, { recursive: true, force: true });
  });

  it('drives a run requested over HTTP to its end by itself, audited as the executor; SIGTERM stops it and exits 0', async () => {
    running = spawnServer(serverCommand(), {
      HOME: home, XDG_CONFIG_HOME: join(home, '.config'), PORT: '0', HOST: '127.0.0.1', SRE_OPS_API_KEYS: KEYS_JSON,
      SRE_OPS_EXECUTOR: '1', SRE_OPS_EXECUTOR_EVERY_SECONDS: '1',
    });
    const port = await running.listening;
    await running.waitForLog('patch executor started');
    // No Teams credentials (a deployment with CDK context teams=false): the service runs and says so once.
    const teamsOff = await running.waitForLog('MicrosoftAppId, MicrosoftAppPassword: not set: Teams progress posting is disabled (runs requested in Teams get no replies in their conversation)');
    expect(teamsOff).to.include({ level: 'warn', progressPosting: 'teams' });
    const base = `http://127.0.0.1:${port}`;
    const headers = { 'x-api-key': KEY, 'content-type': 'application/json' };

    const created = await fetch(`${base}/v1/patch-runs`, { method: 'POST', headers, body: JSON.stringify({ instances: ['web-1', 'web-2'], dryRun: true, reason: 'executor test' }) });
    expect(created.status).to.equal(201);
    const run = (await created.json()) as PatchRunReport;
    expect(run.status).to.equal('approved');
    const end = await running.waitForLog('run succeeded');

    expect(end).to.include({ runId: run.id });
    const after = (await (await fetch(`${base}/v1/patch-runs/${run.id}`, { headers })).json()) as PatchRunReport;
    expect(after.status).to.equal('succeeded');
    // The final report names each instance's result and the evidence it rests on (on the demo: that nothing was sent).
    expect(after.waves.flatMap((w) => w.instances.map((i) => [i.status, i.evidence]))).to.deep.equal([
      ['succeeded', ['simulated: nothing was sent to AWS']], ['succeeded', ['simulated: nothing was sent to AWS']],
    ]);
    const audit = (await (await fetch(`${base}/v1/audit?target=${run.id}`, { headers })).json()) as { actor: string; via: string; action: string }[] | { entries: { actor: string; via: string; action: string }[] };
    const entries = Array.isArray(audit) ? audit : audit.entries;
    expect(entries.find((e) => e.action === 'patch-run.start')).to.include({ actor: 'sre-ops-executor', via: 'executor' });
    expect(running.stdout().split('\n').filter((l) => l.includes('"progressPosting":"teams"')), 'one warning line, however many runs').to.have.length(1);
    running.kill('SIGTERM');
    expect(await running.exited).to.equal(0);
  });
});
