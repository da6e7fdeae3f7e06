import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RATE_LIMITS } from '../../adapters/inbound/http/rate-limiter.js';
import { GRANTS } from '../../domain/access/authorize.js';
import { REPO_ROOT as ROOT } from '../support/paths.js';

const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');
// Read from the stack's source rather than imported: loading aws-cdk-lib takes seconds.
const USAGE_LIMITS = { burst: Number(/USAGE_LIMITS = \{[^}]*burst: (\d+)/.exec(read('infra/lib/api-stack.ts'))?.[1]) };

// Issue 15, item 9: statements of the docs checked against the code they describe.
describe('the docs say what the code does', () => {
  it('README and docs/http-api.md give the API Gateway burst as the infrastructure sets it, not as the service\'s', () => {
    expect(USAGE_LIMITS.burst).not.to.equal(DEFAULT_RATE_LIMITS.burst);
    for (const doc of ['README.md', 'docs/http-api.md']) {
      const text = read(doc).replace(/\s+/g, ' ');
      expect(text, doc).not.to.match(/usage plan (of the infrastructure )?enforces the same numbers/);
      expect(text, doc).to.contain(`burst of ${USAGE_LIMITS.burst}`);
      expect(text, doc).to.contain(`burst of ${DEFAULT_RATE_LIMITS.burst}`);
    }
  });

  it('the README\'s `npx tsx composition/cli.ts` runs the CLI from the sources', function () {
    this.timeout(60_000);
    expect(read('README.md')).to.contain('npx tsx composition/cli.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'composition/cli.ts', '--version'], { cwd: ROOT, encoding: 'utf8' });

    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal(JSON.parse(read('package.json')).version);
  });

  it('docs/mcp.md says how schema errors start (MCP error -32602), not only tool errors', () => {
    expect(read('docs/mcp.md').replace(/\s+/g, ' ')).to.contain('MCP error -32602');
  });

  it('docs/patching.md\'s role table lists what each role grants, and an approver may not request', () => {
    const text = read('docs/patching.md');
    const rows = Object.fromEntries([...text.matchAll(/^\| (viewer|operator|approver|admin) \| (.*) \|$/gm)].map((m) => [m[1], m[2] as string]));
    expect(Object.keys(rows)).to.have.members(['viewer', 'operator', 'approver', 'admin']);
    for (const row of Object.values(rows)) expect(row).not.to.match(/^\+/);
    expect(GRANTS.approver).not.to.include('request');
    expect(rows.approver).not.to.match(/\brequest\b/);
    expect(rows.operator).to.match(/request, execute and cancel runs/);
    expect(rows.approver).to.match(/approve or reject runs/);
  });
});
