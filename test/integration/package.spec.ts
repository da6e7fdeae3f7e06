import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const exec = promisify(execFile);
const NOW = '2026-11-20T12:00:00Z';

/**
 * The published shape is what is tested: `npm pack`, install the tarball into a fresh project
 * (from npm's cache, as `npm ci` left it), import the package by name and run its binary.
 */
describe('the packed npm package, installed into a fresh project', function () {
  this.timeout(240_000);
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-consumer-'));
    const { stdout } = await exec('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO_ROOT });
    const tarball = stdout.trim().split('\n').pop()!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball)], { cwd: dir });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('ships only the built code, the demo fleet and the README', () => {
    const top = readdirSync(join(dir, 'node_modules', 'sre-ops-assistant')).sort();
    expect(top).to.deep.equal(['LICENSE', 'README.md', 'dist', 'examples', 'package.json']);
    const dist = readdirSync(join(dir, 'node_modules', 'sre-ops-assistant', 'dist')).sort();
    expect(dist).to.deep.equal(['adapters', 'composition', 'domain', 'ports']);
  });

  it('gives the same fleet assessment through `import` as the CLI does in the repo', async () => {
    writeFileSync(
      join(dir, 'use.mjs'),
      `import { createAssistant } from 'sre-ops-assistant';
       const a = await createAssistant({ now: '${NOW}' });
       const r = await a.assessFleet();
       console.log(JSON.stringify(r));`,
    );

    const { stdout } = await exec(process.execPath, ['use.mjs'], { cwd: dir });
    const viaLibrary = JSON.parse(stdout);
    const viaCli = JSON.parse((await runCli(['assess', '--json', '--now', NOW])).stdout);

    expect(viaLibrary).to.deep.equal(viaCli);
  });

  it('installs the sre-ops binary', async () => {
    const { stdout } = await exec(join(dir, 'node_modules', '.bin', 'sre-ops'), ['plan', '--json', '--now', NOW], { cwd: dir });

    expect(JSON.parse(stdout).byDecision).to.have.property('patch-now');
  });

  it('refuses bad options with a typed error naming the option', async () => {
    writeFileSync(
      join(dir, 'bad.mjs'),
      `import { createAssistant, ValidationError } from 'sre-ops-assistant';
       try { await createAssistant({ source: 'nowhere' }); } catch (e) { console.log(e instanceof ValidationError, e.field, e.message); }`,
    );

    const { stdout } = await exec(process.execPath, ['bad.mjs'], { cwd: dir });

    expect(stdout.trim()).to.equal('true source source: expected demo, snapshot:DIR or aws, got "nowhere"');
  });
});
