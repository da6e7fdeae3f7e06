/**
 * The console in real browsers (the shared part of console-browser-chromium.spec.ts and
 * console-browser-firefox.spec.ts, one file each so that mocha's workers run them side by side):
 * Debian's Chromium (headless, DevTools protocol) and Debian's
 * Firefox ESR (headless, WebDriver BiDi), each driven by playwright-core against its own
 * `sre-ops serve` on the demo fleet (a real process, a real SQLite state file with two recorded
 * assessments, so Changes and Trend have something to show). In each browser it logs in, reads
 * the fleet, filters, opens an instance and its CPU chart with the window, accepts a finding's
 * risk and revokes it, requests a run as one person, is refused approving it as the same person,
 * approves it as another, and logs out. axe-core checks every page for serious or critical
 * accessibility violations; every page is screenshotted to dist/console-screenshots/<browser>/.
 *
 * A browser that is not installed is skipped with a line saying so (SRE_OPS_CHROMIUM,
 * SRE_OPS_FIREFOX: a path, or "none" to skip); .ci/run installs both from the Debian packages.
 * Firefox ESR 140 lacks a few BiDi commands playwright-core 1.65 sends at launch, and BiDi cannot
 * bypass a page's CSP for playwright's own script: test/support/firefox-bidi-shim.ts answers those
 * commands (and only those; the spec prints which) and admits eval in the pages' CSP.
 */
import { expect } from 'chai';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, firefox, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sha256Hex } from '../../../adapters/inbound/http/api-keys.js';
import { CONSOLE_CSP } from '../../../adapters/inbound/http/console/console-mount.js';
import { createAssistant } from '../../../composition/index.js';
import { CLI, REPO_ROOT } from '../../support/paths.js';
import { FROM_SOURCE, spawnServer, type ServerProcess } from './server-process.js';

const ALICE = 'k-alice-browser-0123456789';
const BOB = 'k-bob-browser-0123456789';
const DAY_MS = 86_400_000;

interface Engine {
  readonly name: 'chromium' | 'firefox';
  readonly label: string;
  /** SRE_OPS_CHROMIUM / SRE_OPS_FIREFOX, when set, is the only candidate ("none" skips). */
  readonly candidates: readonly string[];
  readonly install: string;
}

const ENGINES: readonly Engine[] = [
  {
    name: 'chromium', label: 'Chromium', install: 'apt-get install chromium',
    candidates: process.env.SRE_OPS_CHROMIUM ? [process.env.SRE_OPS_CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  },
  {
    name: 'firefox', label: 'Firefox', install: 'apt-get install firefox-esr',
    candidates: process.env.SRE_OPS_FIREFOX ? [process.env.SRE_OPS_FIREFOX] : ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
  },
];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The state file with two recorded assessments of the demo fleet: two days ago without the top asset, and now. */
async function seedHistory(statePath: string): Promise<void> {
  const assistant = await createAssistant({ stateStore: { kind: 'sqlite', path: statePath } });
  try {
    const report = await assistant.assessFleet();
    await assistant.recordAssessment({ ...report, generatedAt: new Date(Date.parse(report.generatedAt) - 2 * DAY_MS).toISOString(), assets: report.assets.slice(1) });
    await assistant.recordAssessment(report);
  } finally {
    await assistant.close();
  }
}

/**
 * A sh wrapper that starts Firefox through the BiDi shim (playwright wants one executable). The
 * shim adds 'unsafe-eval' to script-src in the console pages' CSP, and nothing else: playwright's
 * injected script runs through eval in Firefox's BiDi realms, which the page's CSP governs (BiDi
 * has no CSP bypass; Chromium's DevTools protocol is not subject to the CSP). Inline script and
 * style, and anything from another origin, stay refused in Firefox too.
 */
function firefoxThroughShim(dir: string, real: string, log: string, admitEvalFor: string): string {
  const shim = fileURLToPath(new URL(`../../support/firefox-bidi-shim.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url));
  const node = [process.execPath, ...(FROM_SOURCE ? ['--import', 'tsx'] : [])].map((a) => `'${a}'`).join(' ');
  const wrapper = join(dir, 'firefox');
  writeFileSync(wrapper, `#!/bin/sh\nSRE_OPS_SHIM_ADMIT_EVAL_FOR='${admitEvalFor}' exec ${node} '${shim}' '${log}' '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** The browser spec for one engine (console-browser-chromium.spec.ts, console-browser-firefox.spec.ts). */
export function consoleBrowserSpec(name: Engine['name']): void {
  const engine = ENGINES.find((e) => e.name === name) as Engine;
  describe(`console in ${engine.label} (playwright-core, axe-core)`, function () {
    this.timeout(180_000);
    const shots = join(REPO_ROOT, 'dist', 'console-screenshots', engine.name);
    let dir: string;
    let server: ServerProcess;
    let base: string;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let shimLog = '';
    const cspErrors: string[] = [];
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

    before(async function () {
      const executable = engine.candidates.find((p) => p !== 'none' && existsSync(p));
      if (!executable) {
        console.log(`      SKIPPED: no ${engine.label} found (looked at ${engine.candidates.join(', ')}); install it with ${engine.install} (.ci/run does) or set SRE_OPS_${engine.name.toUpperCase()}`);
        this.skip();
      }
      dir = mkdtempSync(join(tmpdir(), `sre-ops-console-${engine.name}-`));
      const keys = join(dir, 'keys.json');
      writeFileSync(keys, JSON.stringify([
        { name: 'alice', sha256: sha256Hex(ALICE), scopes: ['read', 'operate', 'approve'] },
        { name: 'bob', sha256: sha256Hex(BOB), scopes: ['read', 'approve'] },
      ]));
      const state = join(dir, 'state.db');
      await seedHistory(state);
      server = spawnServer([process.execPath, CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--api-keys', keys, '--state', state],
        { XDG_CONFIG_HOME: dir, HOME: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
      const port = await server.listening;
      base = `http://127.0.0.1:${port}`;
      if (engine.name === 'chromium') {
        browser = await chromium.launch({ executablePath: executable as string, headless: true });
      } else {
        shimLog = join(dir, 'bidi-shim.log');
        // Playwright's WebDriver BiDi launcher ("moz-" channels) with Debian's Firefox ESR.
        browser = await firefox.launch({ channel: 'moz-firefox', executablePath: firefoxThroughShim(dir, executable as string, shimLog, `${base}/console`), headless: true });
      }
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      if (engine.name === 'firefox') {
        // Read after the first context: playwright sends some of those commands per context.
        const answered = existsSync(shimLog) ? [...new Set(readFileSync(shimLog, 'utf8').split('\n').filter(Boolean))] : [];
        console.log(`      Firefox ${browser.version()} over WebDriver BiDi; commands it lacks, answered by the shim: ${answered.join(', ') || 'none'}`);
      }
      page = await context.newPage();
      page.on('console', (m) => {
        if (/Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
      });
      mkdirSync(shots, { recursive: true });
    });

    after(async () => {
      await browser?.close();
      if (server) {
        server.kill('SIGTERM');
        await server.exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /**
     * axe-core over the current page. Evaluated by the automation protocol (DevTools in Chromium,
     * BiDi script.evaluate in Firefox), which the page's CSP does not govern: it admits no injected script.
     */
    async function accessible(name: string): Promise<void> {
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      const axe = async (target: Page): Promise<AxeViolation[]> =>
        (await target.evaluate(`${axeSource}\n;axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
      let violations: AxeViolation[];
      if (engine.name === 'firefox') {
        // Firefox ESR 140's content process crashes when playwright's next action runs in a page
        // axe-core has run in: axe runs on a copy of the page (its DOM as it stands, served to a
        // second tab at the same URL, with the same stylesheet), which is then closed.
        const copy = await context.newPage();
        const url = page.url();
        const dom = await page.content();
        await copy.route((u) => u.href === url, (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CONSOLE_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'") }, body: dom }));
        await copy.goto(url);
        violations = await axe(copy);
        await copy.close();
      } else {
        violations = await axe(page);
      }
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

    it('accepts a finding\'s risk from the instance page, sees it in force, and revokes it', async () => {
      await page.goto(`${base}/console/instances/db-primary`);
      await page.getByRole('link', { name: 'accept this risk…' }).first().click();
      await page.waitForURL(/\/console\/acceptances\?vulnerabilityId=/);
      const vuln = await page.getByLabel('Vulnerability (CVE or advisory id)').inputValue();
      expect(vuln).to.match(/\S/);
      await page.getByLabel('Until (a future date, UTC)').fill('2026-12-15');
      await page.getByLabel('Reason').fill('compensating control: WAF rule 42');
      await page.getByRole('button', { name: 'Accept risk' }).click();
      await page.waitForURL(/\?done=accepted$/);
      expect(await page.locator('.flash.ok').textContent()).to.equal('Risk accepted.');
      const row = page.locator('[data-testid=acceptances] tbody tr', { hasText: vuln });
      expect(await row.count()).to.equal(1);
      expect(await row.textContent()).to.include('compensating control: WAF rule 42');
      await accessible('05-acceptance-in-force');
      await row.getByRole('button', { name: /^Revoke / }).click();
      await page.waitForURL(/\?done=revoked$/);
      expect(await page.locator('.flash.ok').textContent()).to.equal('Acceptance revoked.');
      expect(await page.locator('[data-testid=acceptances] tbody tr', { hasText: vuln }).count(), 'no longer in force').to.equal(0);
      await page.goto(`${base}/console/acceptances?includeExpired=true`);
      expect(await page.locator('[data-testid=acceptances] tbody tr', { hasText: vuln }).textContent()).to.include('revoked by alice');
    });

    it('plan, acceptances and audit pages, and changes and trend with recorded history, are accessible', async () => {
      for (const [path, name] of [['/console/plan', '06-plan'], ['/console/acceptances', '07-acceptances'], ['/console/audit', '08-audit']] as const) {
        await page.goto(base + path);
        await accessible(name);
      }
      await page.goto(`${base}/console/changes`);
      expect(await page.getByTestId('no-history').count(), 'the seeded history is shown').to.equal(0);
      const added = await page.getByTestId('change-counts').locator('tr', { hasText: 'new findings' }).locator('td.num').textContent();
      expect(Number(added), 'the top asset\'s findings are new since two days ago').to.be.greaterThan(0);
      await accessible('09-changes');
      await page.goto(`${base}/console/trend?days=30`);
      expect(await page.getByTestId('no-history').count()).to.equal(0);
      expect(await page.getByTestId('trend-chart').locator('path.line.trend').count()).to.be.greaterThan(0);
      expect(await page.getByTestId('trend-table').locator('tbody tr').count(), 'two recorded days').to.equal(2);
      await accessible('10-trend');
    });

    let runUrl = '';

    it('requests a run as alice; approving her own run is refused', async () => {
      await page.goto(`${base}/console/instances/db-primary`);
      await page.getByRole('button', { name: 'Request a patch run for this instance' }).click();
      await page.waitForURL(/\/console\/runs\/[^/?]+\?done=requested$/);
      runUrl = page.url().replace(/\?.*$/, '');
      expect(await page.getByTestId('run-status').first().textContent()).to.equal('requested');
      await accessible('11-run-requested');

      await page.getByRole('button', { name: 'Approve' }).click();
      expect(await page.getByRole('alert').textContent()).to.match(/nobody approves their own run/);
      expect(await page.getByTestId('run-status').first().textContent()).to.equal('requested');
      await accessible('12-self-approval-refused');
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
      await accessible('13-run-approved');
      await page.goto(`${base}/console/runs`);
      expect(await page.locator('[data-testid=runs] tbody tr').first().textContent()).to.include('approved');
      await accessible('14-runs');
      await logOut();
      await page.goto(`${base}/console`);
      expect(new URL(page.url()).pathname, 'logged out: back to the login page').to.equal('/console/login');
    });

    it('no Content-Security-Policy violation was reported on any page', () => {
      expect(cspErrors).to.deep.equal([]);
    });
  });
}
