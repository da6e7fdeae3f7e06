/**
 * Issue 9's benchmark: what embedding the library costs. In a fresh consumer project (the packed
 * tarball installed from npm's cache): installed size and package count, and the time to import
 * the main entry in a fresh Node process (median of several) beside importing
 * @aws-sdk/client-inspector2 alone, the floor (the core needs at least that SDK client).
 *
 *   npm run bench:library
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.SRE_OPS_BENCH_RUNS ?? 9);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Milliseconds to import `specifier` in a fresh process, measured inside it (no process start-up). */
async function importMs(dir: string, specifier: string): Promise<number> {
  const code = `const t=performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now()-t));`;
  const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', code], { cwd: dir });
  return Number(stdout);
}

/** Import, then build an Assistant on the demo fleet: the whole cost of getting ready to ask. */
async function readyMs(dir: string): Promise<number> {
  const code = `const t=performance.now(); const { createAssistant } = await import('sre-ops-assistant'); const a = await createAssistant(); await a.close(); process.stdout.write(String(performance.now()-t));`;
  const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') } });
  return Number(stdout);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sre-ops-library-bench-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball)], { cwd: dir });
    const sizeKb = Number(execFileSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
    const packages = execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').length - 1;
    const packageKb = Number(execFileSync('du', ['-sk', join(dir, 'node_modules', 'sre-ops-assistant')], { encoding: 'utf8' }).split('\t')[0]);

    const floor: number[] = [];
    const main: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so load on this shared machine hits both alike.
      floor.push(await importMs(dir, '@aws-sdk/client-inspector2'));
      main.push(await importMs(dir, 'sre-ops-assistant'));
      ready.push(await readyMs(dir));
    }
    const f = median(floor);
    const m = median(main);
    const r = median(ready);
    const rows: [string, string][] = [
      ['installed (plain npm install of the tarball)', `${(sizeKb / 1024).toFixed(1)} MB in ${packages} packages (sre-ops-assistant itself ${(packageKb / 1024).toFixed(1)} MB, demo fleet included)`],
      [`import @aws-sdk/client-inspector2 alone (median of ${RUNS})`, `${f.toFixed(0)} ms`],
      [`import sre-ops-assistant (median of ${RUNS})`, `${m.toFixed(0)} ms`],
      ['ratio', `${(m / f).toFixed(2)}x (goal at most 1.5x)`],
      [`import + first createAssistant(), demo fleet (median of ${RUNS})`, `${r.toFixed(0)} ms = ${(r / f).toFixed(2)}x the floor (the Inversify container loads here)`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
