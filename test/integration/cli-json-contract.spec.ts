/**
 * `assess --json` is streamed asset by asset (issue 17); its bytes must stay those of the
 * documented FleetReport: what the library's assessFleet() returns, serialized. Checked on the demo
 * fleet and on the fixtures, with and without filters, and for `findings --json` and `plan --json`. A reader that
 * goes away early (`| head`) ends the CLI quietly.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createAssistant } from '../../composition/index.js';
import type { Assistant } from '../../ports/inbound/assistant.port.js';
import { runCli } from '../support/run-cli.js';
import { CLI } from '../support/paths.js';
import { fixture } from '../unit/adapters/outbound/snapshot/fixtures.js';

const NOW = '2026-11-20T12:00:00Z';

describe('assess --json and findings --json keep the JSON contract byte for byte while streaming', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'sre-ops-contract-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  async function inProcess<T>(source: string, f: (a: Assistant) => Promise<T>): Promise<T> {
    const a = await createAssistant({ source, now: NOW, stateStore: { kind: 'sqlite', path: join(tmp, `${source.replace(/\W/g, '_')}.db`) } });
    try {
      return await f(a);
    } finally {
      await a.close();
    }
  }

  for (const source of ['demo', ...['minimal', 'issue-12', 'truncated', 'bare-findings'].map((f) => `snapshot:${fixture(f)}`)]) {
    it(`assess --json on ${source.replace(/.*\//, '')}`, async () => {
      const r = await runCli(['assess', '--json', '--source', source, '--now', NOW]);
      expect(r.code, r.stderr).to.equal(0);
      const expected = await inProcess(source, (a) => a.assessFleet());
      expect(expected.assets.length).to.be.above(0);
      expect(r.stdout).to.equal(`${JSON.stringify(expected)}\n`);
    });
  }

  for (const source of ['demo', ...['minimal', 'issue-12'].map((f) => `snapshot:${fixture(f)}`)]) {
    it(`plan --json on ${source.replace(/.*\//, '')} (its lists written element by element)`, async () => {
      const r = await runCli(['plan', '--json', '--source', source, '--now', NOW]);
      expect(r.code, r.stderr).to.equal(0);
      const expected = await inProcess(source, (a) => a.planPatches());
      expect(r.stdout).to.equal(`${JSON.stringify(expected)}\n`);
    });
  }

  it('assess --json --decision and --instance, and findings --json, on the demo fleet', async () => {
    const expected = await inProcess('demo', async (a) => {
      const fleet = await a.assessFleet();
      const top = fleet.assets[0]!.instanceId;
      return {
        top,
        filtered: await a.assessFleet({ decisions: ['patch-now', 'blocked'] }),
        one: await a.assessFleet({ instance: top }),
        findings: await a.listFindings({ instance: top }),
      };
    });
    const filtered = await runCli(['assess', '--json', '--decision', 'patch-now', 'blocked', '--now', NOW]);
    expect(filtered.stdout).to.equal(`${JSON.stringify(expected.filtered)}\n`);
    expect(expected.filtered.summary.assets).to.be.below((await inProcess('demo', (a) => a.assessFleet())).summary.assets);
    const one = await runCli(['assess', '--json', '--instance', expected.top, '--now', NOW]);
    expect(one.stdout).to.equal(`${JSON.stringify(expected.one)}\n`);
    const findings = await runCli(['findings', expected.top, '--json', '--now', NOW]);
    expect(findings.stdout).to.equal(`${JSON.stringify(expected.findings)}\n`);
  });

  it('ends quietly, exit 0 and nothing on stderr, when the reader closes the pipe early', async () => {
    const result = await new Promise<{ code: number | null; stderr: string; got: number }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'assess', '--json', '--now', NOW], {
        env: { ...process.env, XDG_CONFIG_HOME: tmp },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let got = 0;
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', (d: Buffer) => {
        got = d.length;
        child.stdout.destroy(); // `| head -c`: the reader goes away after the first bytes
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, got }));
    });
    expect(result.got).to.be.above(0);
    expect(result.stderr).to.not.match(/EPIPE|Error|at /);
    expect(result.code).to.equal(0);
  });
});
