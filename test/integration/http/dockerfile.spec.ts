/**
 * No Docker engine runs here, so this checks what can be checked without one: the Dockerfile's
 * shape (stages, Node 22, non-root user, port, HEALTHCHECK), and then its bundle line and its
 * CMD, run for real in a folder laid out like the image's /app with production dependencies only.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../../../adapters/inbound/http/api-keys.js';
import { REPO_ROOT } from '../../support/paths.js';
import { spawnServer, type ServerProcess } from './server-process.js';

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const INSTRUCTIONS = DOCKERFILE.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const KEY = 'k-docker-0123456789';

function instruction(name: string): string[] {
  return INSTRUCTIONS.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
}

/** The last stage's instructions (what the image runs). */
function finalStage(): string[] {
  const last = INSTRUCTIONS.map((l, i) => (l.toUpperCase().startsWith('FROM ') ? i : -1)).filter((i) => i >= 0).at(-1) ?? 0;
  return INSTRUCTIONS.slice(last);
}

describe('Dockerfile: the image the HTTP service ships in', function () {
  this.timeout(120_000);

  it('is multi-stage on Node 22, runs as a non-root user, exposes 8000 and health-checks /health', () => {
    const stages = instruction('FROM');
    const final = finalStage();
    const user = final.filter((l) => l.startsWith('USER ')).at(-1);

    expect(INSTRUCTIONS).to.include('ARG NODE_VERSION=22');
    expect(stages.length).to.be.at.least(2);
    expect(stages.every((s) => s.startsWith('node:${NODE_VERSION}'))).to.equal(true);
    expect(user).to.equal('USER node');
    expect(final).to.include('EXPOSE 8000');
    expect(final.find((l) => l.startsWith('HEALTHCHECK '))).to.contain('/health');
    expect(INSTRUCTIONS.some((l) => /npm ci --omit=dev/.test(l))).to.equal(true);
    expect(final.some((l) => /^RUN npm (ci|install)(?!.*--omit=dev)/.test(l))).to.equal(false);
  });

  it('.dockerignore lets every COPY source into the build context, and nothing else', () => {
    const allowed = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const copied = instruction('COPY').filter((c) => !c.startsWith('--from')).flatMap((c) => c.split(/\s+/).slice(0, -1));

    expect(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')).to.match(/^\*$/m);
    expect([...new Set(copied)].sort()).to.deep.equal([...allowed].sort());
  });

  describe('its bundle line and CMD, run as the image would', () => {
    let app: string;
    let server: ServerProcess | undefined;

    before(function () {
      app = mkdtempSync(join(tmpdir(), 'sre-ops-image-'));
      // The build stage's /app: sources and the full install.
      for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'domain', 'ports', 'adapters', 'composition', 'examples']) {
        symlinkSync(join(REPO_ROOT, f), join(app, f));
      }
      const buildModules = join(app, 'node_modules');
      symlinkSync(join(REPO_ROOT, 'node_modules'), buildModules);
      const bundle = instruction('RUN').find((l) => l.startsWith('npx esbuild '));
      expect(bundle, 'the Dockerfile bundles with esbuild').to.be.a('string');
      execFileSync('sh', ['-c', bundle as string], { cwd: app, stdio: 'pipe' });
      expect(existsSync(join(app, 'dist', 'composition', 'http-server.mjs'))).to.equal(true);

      // The runtime stage's /app: production dependencies only (what npm ci --omit=dev installs).
      rmSync(buildModules);
      const listed = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout;
      const top = new Set(
        listed.split('\n').map((p) => p.slice(REPO_ROOT.length + 1)).filter((p) => p.startsWith('node_modules/'))
          .map((p) => p.split('/')).map((s) => (s[1]?.startsWith('@') ? s.slice(0, 3) : s.slice(0, 2)).join('/')),
      );
      expect(top.has('node_modules/koa'), 'koa is a devDependency today; if it moved, this check is moot').to.equal(false);
      for (const p of top) {
        mkdirSync(dirname(join(app, p)), { recursive: true });
        symlinkSync(join(REPO_ROOT, p), join(app, p));
      }
    });
    afterEach(async () => {
      if (server && server.child.exitCode === null) {
        server.kill('SIGKILL');
        await server.exited;
      }
    });
    after(() => rmSync(app, { recursive: true, force: true }));

    it('starts with the CMD on production dependencies, passes its HEALTHCHECK, serves the demo fleet, and exits 0 on SIGTERM', async () => {
      const cmd = JSON.parse(finalStage().find((l) => l.startsWith('CMD '))?.slice(4) ?? '[]') as string[];
      const health = JSON.parse(finalStage().find((l) => l.startsWith('HEALTHCHECK '))?.replace(/^HEALTHCHECK .*?CMD /, '') ?? '[]') as string[];
      expect(cmd[0]).to.equal('node');

      server = spawnServer([process.execPath, ...cmd.slice(1)], {
        HOME: app, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1',
        SRE_OPS_API_KEYS: JSON.stringify([{ name: 'ci', sha256: sha256Hex(KEY), scopes: ['read'] }]),
      }, app);
      const port = await server.listening;
      const probe = spawnSync(process.execPath, health.slice(1), { env: { PORT: String(port) }, encoding: 'utf8', timeout: 10_000 });
      const assets = await fetch(`http://127.0.0.1:${port}/v1/assets?limit=1`, { headers: { 'x-api-key': KEY } });
      const version = ((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { version: string }).version;
      server.kill('SIGTERM');

      expect(probe.status, probe.stderr).to.equal(0);
      expect(assets.status).to.equal(200);
      expect(((await assets.json()) as { source: string }).source).to.equal('demo');
      expect(version).to.equal((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
      expect(await server.exited).to.equal(0);
    });

    it('the HEALTHCHECK fails when nothing answers', () => {
      const health = JSON.parse(finalStage().find((l) => l.startsWith('HEALTHCHECK '))?.replace(/^HEALTHCHECK .*?CMD /, '') ?? '[]') as string[];
      const probe = spawnSync(process.execPath, health.slice(1), { env: { PORT: '1' }, encoding: 'utf8', timeout: 10_000 });

      expect(probe.status).to.equal(1);
    });
  });
});
