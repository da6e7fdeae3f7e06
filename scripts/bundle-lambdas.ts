/**
 * `npm run bundle`: each Lambda entry point bundled with esbuild (ESM, minified, tree-shaken,
 * platform node, target node22) into dist/lambda/<name>/: index.mjs, which exports `handler`,
 * and chunks/*.mjs, the code it loads only when a request needs it.
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
 *
 * Code splitting: every `import()` in the sources (the composition root, the AWS clients, the
 * Lambda and Secrets Manager clients) becomes a chunk that Node reads only when that import runs,
 * so a cold start parses what an acknowledgement needs and no more (the figures are in the
 * README, from `npm run bench:bots`).
 *
 * Source maps are written to dist/lambda-sourcemaps/<name>/, outside the folder the CDK uploads
 * (they are several times the size of the code). Each shipped file ends with a relative
 * sourceMappingURL to its map there, so `node --enable-source-maps` maps stack traces of the
 * local bundles; on Lambda that path does not exist and nothing is read.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
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
  { name: 'org-assessment', entry: 'composition/org-assessment-lambda.ts' },
];

/** Package files the bundled code finds by import.meta.url, copied beside each bundle. */
const ASSETS = ['examples/demo-fleet'] as const;

export interface BundleOptions {
  readonly root?: string;
  /** Default: <root>/dist/lambda. */
  readonly outDir?: string;
  /** Where the source maps go (default: <outDir>-sourcemaps, e.g. dist/lambda-sourcemaps). */
  readonly sourcemapDir?: string;
  /** Only these names (default: every entry that exists). */
  readonly only?: readonly string[];
  /** Write source maps into sourcemapDir (default true). */
  readonly sourcemap?: boolean;
}

export interface BundleResult {
  readonly name: string;
  /** <outDir>/<name>/index.mjs, the module the Lambda runtime imports. */
  readonly file: string;
  /** Bytes of code in the folder (index.mjs and every chunk). */
  readonly bytes: number;
  /** Bytes Node reads when it imports index.mjs: the entry and the chunks it imports statically. */
  readonly initBytes: number;
  /**
   * The source files (repository-relative, node_modules paths from the package name on) whose
   * code is in those init files: what a cold start loads before any request.
   */
  readonly initInputs: readonly string[];
  /** The folder of this Lambda's source maps (absent when sourcemap is false). */
  readonly sourcemapDir?: string;
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
 * Packages the chat frameworks require at load for features a Lambda never uses, replaced in the
 * bundles so a cold start does not read them (about 1.2 MB for Slack, 0.4 MB for Teams):
 *
 * - Bolt's Socket Mode (a long-lived WebSocket, with its own copy of undici), Express (with
 *   body-parser and its character-set tables) and raw-body: the receivers other than
 *   AwsLambdaReceiver, which the Slack Lambda uses;
 * - botbuilder's htmlparser2 (SetSpeakMiddleware, for voice channels) and fs-extra
 *   (FileTranscriptStore): middleware the Teams bot does not install;
 * - node-fetch's whatwg-url (with tr46's Unicode tables): node-fetch takes Node's own URL when
 *   there is one (`Url.URL || whatwgUrl.URL`), so the stub hands it that same URL.
 *
 * Each is replaced only where that importer requires it. A stub that is called throws, naming
 * the package and this file, so a framework change that starts to need one fails loudly (the
 * bundle tests run the bundled handlers).
 */
interface Unused {
  readonly pkg: string;
  /** The importer's path, as a regular expression over its node_modules path. */
  readonly from: RegExp;
  /** The stub's CommonJS source; default: every export throws. */
  readonly contents?: string;
}

const UNUSED: readonly Unused[] = [
  { pkg: '@slack/socket-mode', from: /node_modules\/@slack\/bolt\// },
  { pkg: 'express', from: /node_modules\/@slack\/bolt\// },
  { pkg: 'raw-body', from: /node_modules\/@slack\/bolt\// },
  { pkg: 'htmlparser2', from: /node_modules\/botbuilder\/lib\/setSpeakMiddleware\.js$/ },
  { pkg: 'fs-extra', from: /node_modules\/botbuilder\/lib\/fileTranscriptStore\.js$/ },
  { pkg: 'whatwg-url', from: /node_modules\/node-fetch\//, contents: 'module.exports = { URL: globalThis.URL, URLSearchParams: globalThis.URLSearchParams };' },
];

function throwingStub(pkg: string): string {
  const message = `${pkg} is not in the Lambda bundle: it serves a feature the Lambda does not use (see scripts/bundle-lambdas.ts)`;
  return [
    `function unavailable() { throw new Error(${JSON.stringify(message)}); }`,
    'module.exports = new Proxy(unavailable, { get: (target, key) => (key === "__esModule" ? false : key in target ? target[key] : unavailable) });',
  ].join('\n');
}

function unusedPackages(): Plugin {
  return {
    name: 'unused-packages',
    setup(b) {
      const names = new Set(UNUSED.map((u) => u.pkg));
      b.onResolve({ filter: /^[@a-z]/ }, (args) => {
        if (!names.has(args.path)) return undefined;
        const importer = args.importer.split('\\').join('/');
        const hit = UNUSED.find((u) => u.pkg === args.path && u.from.test(importer));
        return hit ? { path: `${UNUSED.indexOf(hit)}`, namespace: 'unused-package' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'unused-package' }, (args) => {
        const u = UNUSED[Number(args.path)]!;
        return { contents: u.contents ?? throwingStub(u.pkg), loader: 'js' };
      });
    },
  };
}

/** The folder of the chunks inside dist/lambda/<name>/. */
const CHUNKS = 'chunks';

/**
 * Runs before every output file (the entry and each chunk): `require` for the CommonJS packages
 * inside (Bolt, botbuilder), and the URL the bundled modules see as import.meta.url. Modules that
 * find package files relative to themselves (the demo fleet beside dist/composition/) see the
 * bundle's folder as the package root, whether their code landed in index.mjs or in chunks/, and
 * ASSETS are copied there.
 */
const BANNER = [
  "import { createRequire as __sreOpsCreateRequire } from 'node:module';",
  'const require = __sreOpsCreateRequire(import.meta.url);',
  `const __sreOpsModuleUrl = new URL((/\\/${CHUNKS}\\/[^/]*$/.test(import.meta.url) ? '../' : './') + 'dist/composition/index.js', import.meta.url).href;`,
].join('\n');

/** A source path of esbuild's metafile as the tests and the benchmark read it. */
function inputName(path: string): string {
  const i = path.lastIndexOf('node_modules/');
  return i >= 0 ? path.slice(i + 'node_modules/'.length) : path;
}

/** Every file under dir, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

export async function bundleLambdas(options: BundleOptions = {}): Promise<BundleResult[]> {
  const root = options.root ?? repoRoot();
  const outDir = options.outDir ?? join(root, 'dist', 'lambda');
  const sourcemapRoot = options.sourcemapDir ?? `${outDir}-sourcemaps`;
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
    const maps = options.sourcemap === false ? undefined : join(sourcemapRoot, lambda.name);
    await rm(dir, { recursive: true, force: true });
    if (maps) await rm(maps, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const t0 = performance.now();
    const { metafile } = await build({
      entryPoints: { index: entry },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      splitting: true,
      chunkNames: `${CHUNKS}/[name]-[hash]`,
      metafile: true,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      minify: true,
      treeShaking: true,
      // ES module builds first: the AWS SDK's dist-es tree-shakes, its CommonJS build does not.
      mainFields: ['module', 'main'],
      // Written beside the code, then moved out of the uploaded folder (below).
      sourcemap: maps ? 'external' : false,
      legalComments: 'external',
      banner: { js: BANNER },
      define: { 'import.meta.url': '__sreOpsModuleUrl' },
      plugins: [noNativeSqlite(root), unusedPackages()],
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'warning',
      absWorkingDir: root,
    });
    const ms = performance.now() - t0;
    if (maps) {
      for (const map of (await filesUnder(dir)).filter((f) => f.endsWith('.map'))) {
        const to = join(maps, relative(dir, map));
        await mkdir(dirname(to), { recursive: true });
        await rename(map, to);
        const code = map.slice(0, -'.map'.length);
        await appendFile(code, `//# sourceMappingURL=${relative(dirname(code), to).split(sep).join('/')}\n`);
      }
    }
    for (const asset of ASSETS) await cp(join(root, asset), join(dir, asset), { recursive: true });
    // The init set: the entry and what it imports statically, transitively (not the import()s).
    const outputs = metafile.outputs;
    const entryOut = relative(root, file).split(sep).join('/');
    const init = new Set<string>();
    for (const queue = [entryOut]; queue.length; ) {
      const o = queue.pop()!;
      if (init.has(o) || !outputs[o]) continue;
      init.add(o);
      for (const i of outputs[o].imports) if (i.kind === 'import-statement' && !i.external) queue.push(i.path);
    }
    const code = Object.entries(outputs).filter(([o]) => o.endsWith('.mjs'));
    results.push({
      name: lambda.name,
      file,
      bytes: code.reduce((n, [, o]) => n + o.bytes, 0),
      initBytes: [...init].reduce((n, o) => n + (outputs[o]?.bytes ?? 0), 0),
      initInputs: [...new Set([...init].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {}).map(inputName)))].sort(),
      ...(maps ? { sourcemapDir: maps } : {}),
      ms,
    });
  }
  return results;
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(invokedAs).href) {
  const root = repoRoot();
  bundleLambdas({ root, only: process.argv.slice(2) })
    .then((results) => {
      const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2).padStart(5)} MB`;
      for (const r of results) {
        console.log(`${r.name.padEnd(10)} ${mb(r.bytes)}, ${mb(r.initBytes)} loaded at init  ${relative(root, r.file)}  (${r.ms.toFixed(0)} ms)${r.sourcemapDir ? `  maps: ${relative(root, r.sourcemapDir)}` : ''}`);
      }
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
