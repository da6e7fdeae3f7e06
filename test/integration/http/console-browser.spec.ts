/**
 * The console in a real browser: Debian's Chromium, headless, driven by playwright-core, against
 * `sre-ops serve` on the demo fleet (a real process, a real SQLite state file). It logs in, reads
 * the fleet, filters, opens an instance and its CPU chart with the window, requests a run as one
 * person, is refused approving it as the same person, approves it as another, and logs out.
 * axe-core checks every page for serious or critical accessibility violations; every page is
 * screenshotted to dist/console-screenshots/ for review.
 *
 * Without Chromium (SRE_OPS_CHROMIUM, /usr/bin/chromium) the spec is skipped and says why;
 * .ci/run installs Chromium from the Debian packages so CI always runs it.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sha256Hex } from '../../../adapters/inbound/http/api-keys.js';
import { CLI, REPO_ROOT } from '../../support/paths.js';
import { spawnServer, type ServerProcess } from './server-process.js';

// SRE_OPS_CHROMIUM, when set, is the only one tried (SRE_OPS_CHROMIUM=none skips the spec).
const CANDIDATES = process.env.SRE_OPS_CHROMIUM ? [process.env.SRE_OPS_CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const SHOTS = join(REPO_ROOT, 'dist', 'console-screenshots');
const ALICE = 'k-alice-browser-0123456789';
const BOB = 'k-bob-browser-0123456789';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe('console in Chromium (playwright-core, axe-core)', function () {
  this.timeout(120_000);
  let dir: string;
  let server: ServerProcess;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspErrors: string[] = [];
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

  before(async function () {
    const executable = CANDIDATES.find((p) => existsSync(p));
    if (!executable) {
      console.log(`      SKIPPED: no Chromium found (looked at ${CANDIDATES.join(', ')}); install it with apt-get install chromium (.ci/run does) or set SRE_OPS_CHROMIUM`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-console-browser-'));
    const keys = join(dir, 'keys.json');
    writeFileSync(keys, JSON.stringify([
      { name: 'alice', sha256: sha256Hex(ALICE), scopes: ['read', 'operate', 'approve'] },
      { name: 'bob', sha256: sha256Hex(BOB), scopes: ['read', 'approve'] },
    ]));
    server = spawnServer([process.execPath, CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--api-keys', keys, '--state', join(dir, 'state.db')],
      { XDG_CONFIG_HOME: dir, HOME: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    const port = await server.listening;
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: executable as string, headless: true });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
    });
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    if (server) {
      server.kill('SIGTERM');
      await server.exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** axe-core over the current page, evaluated through the DevTools protocol (the page's CSP allows no injected script). */
  async function accessible(name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    const violations = (await page.evaluate(`${axeSource}\n;axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), name).to.deep.equal([]);
  }

  async function logIn(key: string): Promise<void> {
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).to.equal('/console/login');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/console`);
  }

  async function logOut(): Promise<void> {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/console\/login$/);
  }

  it('login page: keyboard first, accessible', async () => {
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).to.equal('/console/login');
    await accessible('01-login');
  });

  it('logs in and sees the top asset, then filters by decision', async () => {
    await logIn(ALICE);
    expect(await page.getByTestId('who').textContent()).to.equal('alice');
    const top = await page.getByTestId('top-asset').textContent();
    const firstRow = await page.locator('[data-testid=assets] tbody tr').first().locator('td a').first().textContent();
    expect(top).to.be.a('string').and.not.equal('');
    expect(firstRow).to.equal(top);
    await accessible('02-fleet');

    await page.getByLabel('Decision', { exact: true }).selectOption('next-window');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/decision=next-window/);
    const decisions = await page.locator('[data-testid=assets] tbody tr td:nth-child(3)').allTextContents();
    expect(decisions.length).to.be.greaterThan(0);
    expect([...new Set(decisions)]).to.deep.equal(['next-window']);
    await accessible('03-fleet-filtered');
  });

  it('keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).to.equal('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).to.equal('main');
  });

  it('opens an instance: the CPU chart shows the chosen quiet window', async () => {
    await page.locator('[data-testid=assets] tbody tr').first().locator('td a').first().click();
    await page.waitForURL(/\/console\/instances\//);
    const chart = page.getByTestId('cpu-chart');
    expect(await chart.locator('svg[role=img] title').first().textContent()).to.match(/^CPU utilization of /);
    expect(await chart.locator('rect.quiet-window').count()).to.equal(1);
    const box = await chart.locator('rect.quiet-window').boundingBox();
    expect(box?.width ?? 0, 'the window is drawn').to.be.greaterThan(2);
    expect(await chart.locator('path.line.cpu').count()).to.equal(1);
    await accessible('04-instance');
  });

  it('plan, acceptances, audit, changes and trend pages are accessible', async () => {
    for (const [path, name] of [['/console/plan', '05-plan'], ['/console/acceptances', '06-acceptances'], ['/console/audit', '07-audit'], ['/console/changes', '07b-changes'], ['/console/trend', '07c-trend']] as const) {
      await page.goto(base + path);
      await accessible(name);
    }
  });

  let runUrl = '';

  it('requests a run as alice; approving her own run is refused', async () => {
    await page.goto(`${base}/console/instances/db-primary`);
    await page.getByRole('button', { name: 'Request a patch run for this instance' }).click();
    await page.waitForURL(/\/console\/runs\/[^/?]+\?done=requested$/);
    runUrl = page.url().replace(/\?.*$/, '');
    expect(await page.getByTestId('run-status').first().textContent()).to.equal('requested');
    await accessible('08-run-requested');

    await page.getByRole('button', { name: 'Approve' }).click();
    expect(await page.getByRole('alert').textContent()).to.match(/nobody approves their own run/);
    expect(await page.getByTestId('run-status').first().textContent()).to.equal('requested');
    await accessible('09-self-approval-refused');
    await logOut();
  });

  it('bob approves it; the runs list shows it approved; bob logs out', async () => {
    await logIn(BOB);
    await page.goto(runUrl);
    await page.getByLabel('Comment (optional)').fill('second pair of eyes');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(/\?done=approved$/);
    expect(await page.getByTestId('run-status').first().textContent()).to.equal('approved');
    expect(await page.locator('.flash.ok').textContent()).to.equal('Run approved.');
    // An approved run may start at any moment: the page refreshes itself (console.js), and can be paused.
    const toggle = page.getByRole('button', { name: 'Pause refresh' });
    expect(await toggle.isVisible(), 'the script ran under the CSP').to.equal(true);
    await toggle.click();
    expect(await page.locator('#refresh-toggle').getAttribute('aria-pressed')).to.equal('true');
    expect(await page.locator('#refresh-state').textContent()).to.equal('Refresh paused');
    await accessible('10-run-approved');
    await page.goto(`${base}/console/runs`);
    expect(await page.locator('[data-testid=runs] tbody tr').first().textContent()).to.include('approved');
    await accessible('11-runs');
    await logOut();
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname, 'logged out: back to the login page').to.equal('/console/login');
  });

  it('no Content-Security-Policy violation was reported on any page', () => {
    expect(cspErrors).to.deep.equal([]);
  });
});
