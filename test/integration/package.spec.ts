import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const exec = promisify(execFile);
const NOW = '2026-11-20T12:00:00Z';

/** The ```ts block of the README's library section: the example a reader copies, run as is. */
function readmeLibraryExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README: no ```ts block under "## As a library"');
  return block;
}

/**
 * The published shape is what is tested: `npm pack`, install the tarball into a fresh project
 * (from npm's cache, as `npm ci` left it), and use the package from there by its name.
 */
/**
 * better-sqlite3's install script (prebuild-install) downloads a prebuilt binary from GitHub and,
 * with no network, compiles it from source: five to ten minutes on a loaded 2-core machine. The
 * binary this repository's `npm ci` compiled is offered to it instead, through prebuild-install's
 * own local-prebuilds setting (a tarball named as the download would be), so the consumer's
 * install runs the real script and the test checks the package, not the C++ compiler. Without
 * that binary the install compiles, as before.
 */
async function offerLocalPrebuild(dir: string): Promise<void> {
  const pkg = join(REPO_ROOT, 'node_modules', 'better-sqlite3');
  if (!existsSync(join(pkg, 'build', 'Release', 'better_sqlite3.node'))) return;
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const prebuilds = join(dir, 'prebuilds');
  mkdirSync(prebuilds, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await exec('tar', ['-czf', join(prebuilds, name), '-C', pkg, 'build/Release/better_sqlite3.node']);
  // prebuild-install's own configuration file, found from the package's folder upwards (an
  // npm_config_ variable would make npm warn; a prebuild-install_ one does not survive sh).
  writeFileSync(join(dir, '.prebuild-installrc'), JSON.stringify({ 'local-prebuilds': prebuilds }));
}

describe('the packed npm package, installed into a fresh project', function () {
  // Without a local prebuild the install compiles better-sqlite3: minutes on a loaded machine.
  this.timeout(600_000);
  let dir: string;
  let install: { stdout: string; stderr: string };
  const modules = (): string => join(dir, 'node_modules');
  // The consumer's own config home: nothing here reads or writes the user's state file.
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, XDG_CONFIG_HOME: join(dir, 'config') });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-consumer-'));
    const { stdout } = await exec('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO_ROOT });
    const tarball = stdout.trim().split('\n').pop()!;
    // The consumer approves better-sqlite3's install script, as the README tells library users
    // to (npm 11 warns about an install script its project has not approved).
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } }));
    // The default log level: a warning the install prints is what a user would see.
    await offerLocalPrebuild(dir);
    install = await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: dir, env: env() });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('installs without a warning once the project approves better-sqlite3\'s install script, as the README says', () => {
    expect(install.stderr.split('\n').filter((l) => /\bwarn\b/i.test(l))).to.deep.equal([]);
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).to.include('"allowScripts": { "better-sqlite3": true }');
  });

  it('ships only the built code, the demo fleet, the README and the licence', () => {
    const top = readdirSync(join(modules(), 'sre-ops-assistant')).sort();
    expect(top).to.deep.equal(['LICENSE', 'README.md', 'dist', 'examples', 'package.json']);
    expect(readdirSync(join(modules(), 'sre-ops-assistant', 'dist')).sort()).to.deep.equal(['adapters', 'composition', 'domain', 'ports']);
  });

  it('installs none of the web server, bot frameworks, MCP SDK or CDK for a library user', () => {
    for (const heavy of ['@slack/bolt', 'botbuilder', 'koa', '@koa/router', 'pino', '@modelcontextprotocol/sdk', 'aws-cdk-lib', 'constructs', 'cdk-nag', 'esbuild']) {
      expect(existsSync(join(modules(), heavy)), heavy).to.equal(false);
    }
    expect(existsSync(join(modules(), '@aws-sdk', 'client-inspector2')), 'the AWS source is part of the core').to.equal(true);
  });

  it('gives the same fleet assessment through `import` as the CLI does in the repo', async () => {
    writeFileSync(
      join(dir, 'use.mjs'),
      `import { createAssistant } from 'sre-ops-assistant';
       const a = await createAssistant({ now: '${NOW}' });
       const r = await a.assessFleet();
       await a.close();
       console.log(JSON.stringify(r));`,
    );

    const { stdout } = await exec(process.execPath, ['use.mjs'], { cwd: dir, env: env() });
    const viaLibrary = JSON.parse(stdout);
    const viaCli = JSON.parse((await runCli(['assess', '--json', '--now', NOW])).stdout);

    expect(viaLibrary).to.deep.equal(viaCli);
  });

  it('loads no HTTP, chat, MCP or SQLite module for the core', async () => {
    // A resolve hook records every module the process resolves while it assesses the fleet.
    writeFileSync(join(dir, 'hooks.mjs'), `export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('RESOLVED ' + r.url + '\\n'); return r; }`);
    writeFileSync(join(dir, 'record.mjs'), `import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);`);
    writeFileSync(join(dir, 'core.mjs'), `import { createAssistant } from 'sre-ops-assistant'; const a = await createAssistant({ now: '${NOW}' }); await a.assessFleet(); await a.planPatches(); await a.close();`);

    // A user who never patched: no state file yet (one that exists is read, for its risk acceptances).
    const { stderr } = await exec(process.execPath, ['--import', './record.mjs', 'core.mjs'], { cwd: dir, env: env() });
    const resolved = stderr.split('\n').filter((l) => l.startsWith('RESOLVED ')).map((l) => l.slice(9));

    expect(resolved.length).to.be.greaterThan(20);
    expect(resolved.some((u) => u.includes('/dist/domain/risk/'))).to.equal(true);
    const unwanted = resolved.filter((u) => /\/(adapters\/inbound\/(http|slack|teams|mcp|chat)|adapters\/outbound\/(sqlite|dynamodb|lambda)|node_modules\/(koa|@koa|pino|zod|@slack|botbuilder|@modelcontextprotocol|better-sqlite3))\//.test(u));
    expect(unwanted).to.deep.equal([]);
  });

  it('type-checks a TypeScript consumer against the declarations, with a custom adapter typed by the port', async () => {
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { createAssistant, type FindingsSource, type Finding, type FleetReport, type AssetReport } from 'sre-ops-assistant';
       class NoFindings implements FindingsSource {
         async *listActiveFindings(): AsyncIterable<Finding> { /* another scanner would yield here */ }
       }
       const assistant = await createAssistant({ now: '${NOW}', adapters: { findings: new NoFindings() } });
       const report: FleetReport = await assistant.assessFleet({ decisions: ['patch-now'] });
       const first: AssetReport | undefined = report.assets[0];
       const score: number | undefined = first?.riskScore;
       void score;
       // @ts-expect-error: decisions are a closed set
       await assistant.assessFleet({ decisions: ['later'] });
       await assistant.close();
       export {};`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2023', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false,
        types: ['node'], typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
      },
      files: ['consumer.ts'],
    }));

    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, env: env() }).catch((e: { stdout: string }) => e);

    expect((r as { stdout: string }).stdout ?? '').to.equal('');
  });

  it('runs the README\'s library example as written', async () => {
    writeFileSync(join(dir, 'readme-example.mjs'), readmeLibraryExample());

    const { stdout } = await exec(process.execPath, ['readme-example.mjs'], { cwd: dir, env: env() });

    const lines = stdout.trim().split('\n');
    expect(lines.length).to.be.greaterThan(1);
    expect(lines.at(-1)).to.match(/^\d+ waves$/);
    expect(lines[0]).to.match(/^\d+(\.\d+)? \S+ \d{4}-\d{2}-\d{2}T/);
  });

  it('runs the custom-adapter example (findings from another scanner)', async () => {
    cpSync(join(REPO_ROOT, 'examples', 'custom-findings-source'), join(dir, 'custom'), { recursive: true });

    const { stdout } = await exec(process.execPath, [join('custom', 'index.mjs'), '--json'], { cwd: dir, env: env() });
    const report = JSON.parse(stdout);

    const ids = report.assets.flatMap((a: { findings: { vulnerabilityId: string }[] }) => a.findings.map((f) => f.vulnerabilityId)).sort();
    expect(ids).to.deep.equal(['CVE-2023-38545', 'CVE-2023-48795', 'CVE-2023-4911', 'CVE-2024-6387']);
    expect(report.assets.map((a: { name: string }) => a.name)).to.have.members(['web-1', 'ci-runner']);
  });

  it('installs the sre-ops binary', async () => {
    const { stdout } = await exec(join(modules(), '.bin', 'sre-ops'), ['plan', '--json', '--now', NOW], { cwd: dir, env: env() });

    expect(JSON.parse(stdout).byDecision).to.have.property('patch-now');
  });

  it('says which packages to install for a part that needs optional ones', async () => {
    const serve = await exec(join(modules(), '.bin', 'sre-ops'), ['serve', '--insecure-no-auth', '--port', '0'], { cwd: dir, env: env() }).catch((e: { code: number; stderr: string }) => e);
    const mcp = await exec(join(modules(), '.bin', 'sre-ops'), ['mcp'], { cwd: dir, env: env() }).catch((e: { code: number; stderr: string }) => e);

    expect((serve as { code: number }).code).to.equal(1);
    expect((serve as { stderr: string }).stderr).to.contain('sre-ops serve needs the optional packages koa, @koa/router, @koa/bodyparser, pino, zod');
    expect((mcp as { code: number }).code).to.equal(1);
    expect((mcp as { stderr: string }).stderr).to.contain('sre-ops mcp needs the optional packages @modelcontextprotocol/sdk, zod');
  });

  it('importing sre-ops-assistant/http or /mcp without their optional packages names every missing one', async () => {
    writeFileSync(
      join(dir, 'peers.mjs'),
      `for (const entry of ['sre-ops-assistant/http', 'sre-ops-assistant/mcp']) {
         try { await import(entry); console.log(entry, 'loaded'); } catch (e) { console.log(e.code, e.message); }
       }`,
    );

    const { stdout } = await exec(process.execPath, ['peers.mjs'], { cwd: dir, env: env() });

    const [http, mcp] = stdout.trim().split('\n');
    expect(http).to.match(/^MISSING_PACKAGES sre-ops-assistant\/http needs the optional packages koa, @koa\/router, @koa\/bodyparser, pino, zod: /);
    expect(mcp).to.match(/^MISSING_PACKAGES sre-ops-assistant\/mcp needs the optional packages @modelcontextprotocol\/sdk, zod: /);
  });

  it('refuses bad options with a typed error naming the option', async () => {
    writeFileSync(
      join(dir, 'bad.mjs'),
      `import { createAssistant, ValidationError } from 'sre-ops-assistant';
       try { await createAssistant({ source: 'nowhere' }); } catch (e) { console.log(e instanceof ValidationError, e.field, e.message); }
       try { await createAssistant({ sorce: 'demo' }); } catch (e) { console.log(e instanceof ValidationError, e.field, e.message); }`,
    );

    const { stdout } = await exec(process.execPath, ['bad.mjs'], { cwd: dir, env: env() });

    expect(stdout.trim().split('\n')).to.deep.equal([
      'true source source: expected demo, snapshot:DIR or aws, got "nowhere"',
      'true sorce sorce: unknown option; did you mean "source"?',
    ]);
  });
});
