/**
 * `npm run bundle`: each Lambda entry point bundled with esbuild (ESM, minified, tree-shaken,
 * platform node, target node22) into dist/lambda/<name>/index.mjs, which exports `handler`.
 *
 *   npm run bundle                  every entry that exists
 *   npm run bundle -- slack teams   only those
 *
 * Entries are data: a new Lambda adds one line to LAMBDAS. An optional entry whose file does not
 * exist yet is skipped.
 *
 * The AWS SDK is bundled, not left to the Lambda runtime's copy: the clients are then the
 * versions the tests ran against (the runtime's SDK changes under a deployed function), and a
 * tree-shaken, minified bundle loads faster than the runtime's full packages from node_modules.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface LambdaEntry {
  /** dist/lambda/<name>/index.mjs */
  readonly name: string;
  /** The entry point, relative to the repository root. */
  readonly entry: string;
  /** Skipped while its file does not exist. */
  readonly optional?: boolean;
}

export const LAMBDAS: readonly LambdaEntry[] = [
  { name: 'slack', entry: 'composition/slack-lambda.ts' },
  { name: 'teams', entry: 'composition/teams-lambda.ts' },
  { name: 'collector', entry: 'composition/collector-lambda.ts' },
];

/** Package files the bundled code finds by import.meta.url, copied beside each bundle. */
const ASSETS = ['examples/demo-fleet'] as const;

export interface BundleOptions {
  readonly root?: string;
  /** Default: <root>/dist/lambda. */
  readonly outDir?: string;
  /** Only these names (default: every entry that exists). */
  readonly only?: readonly string[];
  /** Write index.mjs.map (default true; Node uses it with NODE_OPTIONS=--enable-source-maps). */
  readonly sourcemap?: boolean;
}

export interface BundleResult {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly ms: number;
}

/** The repository root: the nearest folder above this file with this project's package.json. */
export function repoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sre-ops-assistant') return dir;
    if (dirname(dir) === dir) throw new Error(`no sre-ops-assistant package.json above ${from}`);
  }
}

/**
 * The SQLite state store is for the CLI and a single server; Lambdas keep state in DynamoDB
 * (SRE_OPS_STATE_TABLE). Its native module cannot be bundled, so it is replaced by a stub that
 * fails, with an error a chat reply can show, only if something opens it.
 */
function noNativeSqlite(root: string): Plugin {
  return {
    name: 'no-native-sqlite',
    setup(b) {
      b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: 'better-sqlite3', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
        contents: [
          "import { ValidationError } from './domain/errors.ts';",
          'export default function Database() {',
          "  throw new ValidationError('stateStore', 'a DynamoDB table on Lambda', 'the Lambda functions keep patch runs in DynamoDB: set SRE_OPS_STATE_TABLE (SQLite is not in the bundle)');",
          '}',
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      }));
    },
  };
}

/**
 * Runs before the bundle: `require` for the CommonJS packages inside (Bolt, botbuilder), and the
 * URL the bundled modules see as import.meta.url. Modules that find package files relative to
 * themselves (the demo fleet beside dist/composition/) see the bundle's folder as the package
 * root, and ASSETS are copied there.
 */
const BANNER = [
  "import { createRequire as __sreOpsCreateRequire } from 'node:module';",
  'const require = __sreOpsCreateRequire(import.meta.url);',
  "const __sreOpsModuleUrl = new URL('./dist/composition/index.js', import.meta.url).href;",
].join('\n');

export async function bundleLambdas(options: BundleOptions = {}): Promise<BundleResult[]> {
  const root = options.root ?? repoRoot();
  const outDir = options.outDir ?? join(root, 'dist', 'lambda');
  const wanted = LAMBDAS.filter((l) => !options.only?.length || options.only.includes(l.name));
  const unknown = (options.only ?? []).filter((n) => !LAMBDAS.some((l) => l.name === n));
  if (unknown.length) throw new Error(`no Lambda named ${unknown.join(', ')}; known: ${LAMBDAS.map((l) => l.name).join(', ')}`);
  const results: BundleResult[] = [];
  for (const lambda of wanted) {
    const entry = join(root, lambda.entry);
    if (!existsSync(entry)) {
      if (lambda.optional) continue;
      throw new Error(`${lambda.name}: entry point ${lambda.entry} does not exist`);
    }
    const dir = join(outDir, lambda.name);
    const file = join(dir, 'index.mjs');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const t0 = performance.now();
    await build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      minify: true,
      treeShaking: true,
      // ES module builds first: the AWS SDK's dist-es tree-shakes, its CommonJS build does not.
      mainFields: ['module', 'main'],
      sourcemap: options.sourcemap === false ? false : 'linked',
      legalComments: 'external',
      banner: { js: BANNER },
      define: { 'import.meta.url': '__sreOpsModuleUrl' },
      plugins: [noNativeSqlite(root)],
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'warning',
      absWorkingDir: root,
    });
    const ms = performance.now() - t0;
    for (const asset of ASSETS) await cp(join(root, asset), join(dir, asset), { recursive: true });
    results.push({ name: lambda.name, file, bytes: (await stat(file)).size, ms });
  }
  return results;
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(invokedAs).href) {
  const root = repoRoot();
  bundleLambdas({ root, only: process.argv.slice(2) })
    .then((results) => {
      for (const r of results) console.log(`${r.name.padEnd(10)} ${(r.bytes / 1024 / 1024).toFixed(2).padStart(6)} MB  ${relative(root, r.file)}  (${r.ms.toFixed(0)} ms)`);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
