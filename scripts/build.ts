/**
 * `npm run build` (and so `npm test`): tsc into dist/, doing only what changed since the last
 * successful build instead of cleaning dist/ and compiling everything again.
 *
 * - Compiled files whose source is gone are deleted (a removed or renamed spec would otherwise
 *   still run from dist/test).
 * - When a source has no compiled file (dist/ partly deleted by hand), the incremental state is
 *   forgotten, so tsc emits everything again rather than trusting it.
 * - When no input is newer than the last successful build (dist/.build-ok), tsc is not run at all;
 *   otherwise it runs incrementally (tsconfig.json: incremental, dist/.tsbuildinfo), type-checking
 *   and emitting only what changed and what depends on it. A failed build leaves no stamp, so its
 *   errors are reported again next time.
 *
 * Inputs: every file under the folders tsconfig.json compiles, tsconfig.json, package.json and
 * package-lock.json. Only those folders are pruned in dist/ (dist/lambda, dist/cdk.out stay).
 * `npm run clean` still deletes dist/ entirely.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What tsc writes for one source file, by suffix. */
const EMITTED = ['.d.ts.map', '.d.ts', '.js.map', '.js'] as const;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

export interface PruneResult {
  /** Compiled files deleted (relative to the root). */
  readonly removed: readonly string[];
  /** Whether the incremental state was deleted (a full emit follows). */
  readonly rebuildAll: boolean;
}

interface TsConfig {
  readonly include: string[];
  readonly compilerOptions: { readonly outDir: string; readonly tsBuildInfoFile?: string };
}

function tsconfig(root: string): TsConfig {
  return JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as TsConfig;
}

/** The stamp of the last successful build. */
const STAMP = '.build-ok';

export function pruneDist(root: string): PruneResult {
  const config = tsconfig(root);
  const outDir = join(root, config.compilerOptions.outDir);
  const removed: string[] = [];
  let rebuildAll = false;
  for (const top of config.include) {
    for (const file of filesUnder(join(outDir, top))) {
      const suffix = EMITTED.find((s) => file.endsWith(s));
      if (!suffix) continue;
      const source = join(root, relative(outDir, file)).slice(0, -suffix.length) + '.ts';
      if (!existsSync(source)) {
        rmSync(file);
        removed.push(relative(root, file));
      }
    }
    for (const source of filesUnder(join(root, top))) {
      if (!source.endsWith('.ts') || source.endsWith('.d.ts')) continue;
      if (!existsSync(join(outDir, relative(root, source)).slice(0, -'.ts'.length) + '.js')) rebuildAll = true;
    }
  }
  if (rebuildAll && config.compilerOptions.tsBuildInfoFile) rmSync(join(root, config.compilerOptions.tsBuildInfoFile), { force: true });
  return { removed, rebuildAll };
}

/** Whether some input is newer than the last successful build (or there was none). */
export function needsBuild(root: string): boolean {
  const config = tsconfig(root);
  const stamp = join(root, config.compilerOptions.outDir, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = [...config.include.flatMap((top) => filesUnder(join(root, top))), ...['tsconfig.json', 'package.json', 'package-lock.json'].map((f) => join(root, f))];
  return inputs.some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}

/** Prunes, then runs tsc unless nothing changed; returns tsc's exit code (0 when skipped). */
export function build(root: string, log: (line: string) => void = console.log): number {
  const { removed } = pruneDist(root);
  for (const f of removed) log(`removed ${f} (its source is gone)`);
  const stamp = join(root, tsconfig(root).compilerOptions.outDir, STAMP);
  if (!removed.length && !needsBuild(root)) {
    log('build: nothing changed since the last build');
    return 0;
  }
  rmSync(stamp, { force: true });
  const started = Date.now();
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  const code = run.status ?? 1;
  // The stamp carries the time the build started: a file saved while tsc ran is built next time.
  if (code === 0) {
    writeFileSync(stamp, '');
    const t = new Date(started);
    utimesSync(stamp, t, t);
  }
  return code;
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(invokedAs).href) {
  process.exitCode = build(process.cwd());
}
