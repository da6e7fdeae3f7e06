/**
 * Mocha's configuration: the compiled specs (dist/test, what `npm test` builds), run in parallel
 * worker processes, the slow groups first so they do not finish last.
 *
 * SRE_OPS_TEST_GROUP picks a group (the npm scripts set it): unit, integration (everything under
 * test/integration that is not slow), slow (SLOW below), or all (the default, `npm test`).
 * SRE_OPS_TEST_JOBS sets the number of workers (default 2). Naming spec files on the command line
 * (`npx mocha dist/test/unit/domain/x.spec.js`) replaces the group.
 *
 * Parallel runs are safe because every spec file keeps to itself: each starts its own
 * moto_server and HTTP servers on free loopback ports, and writes only under its own mkdtemp
 * folders (the CLI's config home included). There are no root hooks or global fixtures.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// The AWS SDK's notice that its 2027 releases need Node.js 22 (this machine runs 20) would print
// once per worker and per spawned CLI; the CLI filters it itself. The SDK's own switch, inherited
// by the workers and the processes the specs spawn.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = join(import.meta.dirname, 'dist', 'test');

/**
 * The slow groups, slowest first (paths under dist/test, prefixes match folders): the packed
 * package installed into a fresh project, the CDK synth, the CLI and the servers spawned as
 * processes, the Lambda bundles built with esbuild, the long moto scenarios, and the console in
 * headless Chromium and Firefox ESR.
 */
const SLOW = [
  'integration/package.spec.js',
  'integration/http/console-browser-firefox.spec.js',
  'integration/http/console-browser-chromium.spec.js',
  'infra/app.spec.js',
  'integration/cli.spec.js',
  'integration/cli-errors.spec.js',
  'integration/cli-noise.spec.js',
  'integration/cli-findings-input.spec.js',
  'integration/cli-json-contract.spec.js',
  'integration/bounded-memory.spec.js',
  'integration/patch/executor-on-moto.spec.js',
  'integration/http/worker-memory.spec.js',
  'integration/http/page-off-the-loop.spec.js',
  'integration/patch/execute-on-moto.spec.js',
  'integration/patch/ssm-patching.spec.js',
  'integration/aws/cli-aws-source.spec.js',
  'integration/aws/organization-scope.spec.js',
  'integration/aws/org-assessment-lambdas.spec.js',
  'integration/aws/inspector-administrator.spec.js',
  'integration/aws/organization-schedules.spec.js',
  'integration/patch/dynamodb-state-store.spec.js',
  'integration/slack/slack-bundle.spec.js',
  'integration/teams/teams-bundle.spec.js',
  'integration/http/dockerfile.spec.js',
  'integration/http/executor-process.spec.js',
  'integration/patch/patch-demo-cli.spec.js',
  'integration/mcp/mcp-stdio.spec.js',
  'integration/issue-12-surfaces.spec.js',
  'integration/history/dynamodb-history-store.spec.js',
  'integration/notify/alerts.spec.js',
  'infra/',
];

function specsUnder(dir) {
  let entries;
  try {
    entries = readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries.filter((f) => f.endsWith('.spec.js')).map((f) => join(dir, f)).sort();
}

const isSlow = (f) => SLOW.some((s) => (s.endsWith('/') ? f.startsWith(s) : f === s));
const slowRank = (f) => SLOW.findIndex((s) => (s.endsWith('/') ? f.startsWith(s) : f === s));

function group(name) {
  const all = [...specsUnder('infra'), ...specsUnder('integration'), ...specsUnder('unit')];
  const slow = all.filter(isSlow).sort((a, b) => slowRank(a) - slowRank(b) || a.localeCompare(b));
  switch (name) {
    case 'unit':
      return specsUnder('unit');
    case 'integration':
      return specsUnder('integration').filter((f) => !isSlow(f));
    case 'slow':
      return slow;
    case 'all':
      return [...slow, ...all.filter((f) => !isSlow(f))];
    default:
      throw new Error(`SRE_OPS_TEST_GROUP: expected unit, integration, slow or all, got "${name}"`);
  }
}

// Mocha adds spec files named on the command line to the configured list instead of replacing
// it; a command line that names spec files runs just those.
const named = process.argv.slice(2).some((a) => /\.spec\.[cm]?[jt]s$/.test(a) || a.includes('*'));
const files = named ? [] : group(process.env.SRE_OPS_TEST_GROUP || 'all');

export default {
  // Before the first build there is nothing to list yet: mocha then says no test files were found.
  spec: named ? [] : files.length ? files.map((f) => join('dist', 'test', f)) : ['dist/test/**/*.spec.js'],
  parallel: true,
  jobs: Number(process.env.SRE_OPS_TEST_JOBS || 2),
  timeout: 20000,
  reporter: 'spec',
};
