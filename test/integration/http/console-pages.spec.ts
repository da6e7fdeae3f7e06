import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { consoleAssistant, KEYS, startConsoleServer, type Browser, type ConsoleServer } from './console-kit.js';

/** The instance ids in the ranked table, in order. */
function tableIds(html: string): string[] {
  const table = /<table aria-labelledby="h-assets" data-testid="assets">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<span class="muted">(i-[0-9a-f]+)<\/span>/g)].map((m) => m[1] as string);
}

describe('console: pages, authorization and the first-load budget', function () {
  this.timeout(60_000);
  let assistant: Assistant;
  let dispose: () => Promise<void>;
  let api: ConsoleServer;

  before(async () => {
    ({ assistant, dispose } = await consoleAssistant());
    api = await startConsoleServer(assistant);
  });
  after(async () => {
    await api.close();
    await dispose();
  });

  async function as(who: keyof typeof KEYS): Promise<Browser> {
    const b = api.browser();
    expect((await b.login(KEYS[who].key)).status).to.equal(303);
    return b;
  }

  it('the fleet overview counts by decision and SSVC and ranks the instances like GET /v1/assets', async () => {
    const b = await as('reader');
    const html = await (await b.get('/console')).text();
    const report = await assistant.assessFleet();
    expect(html).to.include(`${report.summary.assets} instances, ${report.summary.findings} active findings`);
    for (const [d, n] of Object.entries(report.summary.byDecision)) expect(html).to.match(new RegExp(`badge d-${d}">${d}</span></td><td class="num">${n}<`));
    expect(html).to.include(`data-testid="top-asset">${report.assets[0]?.name}<`);
    expect(tableIds(html)).to.deep.equal(report.assets.slice(0, 25).map((a) => a.instanceId));
    // Two charts, each an image with a title and a description.
    expect(html.match(/<svg class="chart bar-chart"[^>]*role="img" aria-labelledby="[^"]+"/g)).to.have.length(2);
  });

  it('filters by decision, mission and exposure; sorts both ways; pages', async () => {
    const b = await as('reader');
    const filtered = await (await b.get('/console?decision=patch-now&exposed=true')).text();
    const expected = (await assistant.assessFleet({ decisions: ['patch-now'], exposed: true })).assets.map((a) => a.instanceId);
    expect(expected.length).to.be.greaterThan(0);
    expect(tableIds(filtered)).to.deep.equal(expected);
    expect(filtered).to.include('<option value="patch-now" selected>');

    const byName = tableIds(await (await b.get('/console?sort=name&dir=asc')).text());
    const names = (await assistant.assessFleet()).assets.map((a) => ({ id: a.instanceId, n: (a.name ?? a.instanceId).toLowerCase() })).sort((x, y) => (x.n < y.n ? -1 : x.n > y.n ? 1 : 0));
    expect(byName).to.deep.equal(names.map((x) => x.id).slice(0, 25));
    const desc = tableIds(await (await b.get('/console?sort=name&dir=desc')).text());
    expect(desc[0]).to.equal(names.at(-1)?.id);

    // The demo fleet fits one page (paging over more: test/unit/adapters/inbound/http/console-pages.spec.ts).
    const all = (await assistant.assessFleet()).assets;
    expect(await (await b.get('/console?page=9')).text(), 'a page past the end shows the last').to.include(`Page 1 of 1 (${all.length} instances)`);
    const bad = await b.get('/console?decision=later');
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.include('query.decision: expected one of patch-now');
    // The demo fleet is one account: no account/region filter; filtering by an account leaves out assets without one (as AssessFleet does).
    expect(await (await b.get('/console')).text()).not.to.include('id="f-account"');
    expect(tableIds(await (await b.get('/console?account=123456789012&region=eu-west-1')).text())).to.deep.equal((await assistant.assessFleet({ accounts: ['123456789012'], regions: ['eu-west-1'] })).assets.map((a) => a.instanceId));
    const badAccount = await b.get('/console?account=12345');
    expect(badAccount.status).to.equal(400);
    expect(await badAccount.text()).to.include('query.account: expected a 12-digit AWS account id');
  });

  it('an instance page has its findings with reasons, the CPU chart with the chosen quiet window, activity and compliance', async () => {
    const b = await as('reader');
    const plan = await assistant.planPatches();
    const quiet = Object.values(plan.byDecision).flat().find((p) => p.window?.source === 'cpu-history');
    expect(quiet, 'the demo plan has a window from CPU history').to.not.equal(undefined);
    const r = await b.get(`/console/instances/${quiet?.instanceId}`);
    const html = await r.text();
    expect(r.status).to.equal(200);
    const cpu = /<figure data-testid="cpu-chart">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    expect(cpu).to.match(/<path class="line cpu" d="M[\d. ]+(L[\d. ]+){20,}"/);
    expect(cpu).to.match(/<rect class="band quiet-window" [^>]*><title>chosen window /);
    expect(cpu, 'earlier weeks\' same hours').to.match(/class="band quiet-window-past"/);
    expect(html).to.include('data-testid="status-chart"');
    const asset = (await assistant.assessInstance(quiet?.instanceId as string)).asset;
    expect(html).to.include(`<h2>Findings (${asset.findings.length})</h2>`);
    expect(html).to.include(`${asset.findings[0]?.reasons.length} reasons`);
    expect(html).to.include('<h2>CloudTrail activity</h2>');
    expect(html).to.include('<h2>Patch compliance</h2>');

    const missing = await b.get('/console/instances/no-such-host');
    expect(missing.status).to.equal(404);
    expect(await missing.text()).to.include('NOT_FOUND');
    const garbled = await b.get('/console/instances/%E0%A4%A');
    expect(garbled.status, 'a malformed path is the client\'s error, not a 500').to.equal(400);
    expect(await garbled.text()).to.include('BAD_REQUEST');
  });

  it('the plan shows a timeline of windows and due dates with the waves', async () => {
    const b = await as('reader');
    const html = await (await b.get('/console/plan')).text();
    const plan = await assistant.planPatches();
    expect(html).to.include('data-testid="plan-timeline"');
    expect(html.match(/<rect class="bar window-/g)?.length).to.be.greaterThan(0);
    expect(html.match(/<path class="mark (due|overdue)"/g)?.length).to.be.greaterThan(0);
    expect(html).to.include(`${plan.waves.length} waves`);
  });

  it('runs: an operator requests, nobody approves their own run, another approver approves; a viewer cannot request', async () => {
    const viewer = await as('reader');
    const vCsrf = await viewer.csrf('/console/runs');
    const refused = await viewer.post('/console/runs', { csrf: vCsrf, instances: 'web-1' });
    expect(refused.status).to.equal(403);
    expect(await refused.text()).to.include('lacks the operate scope');

    const alice = api.browser();
    // ops-bot (read + operate) requests; alice (read + approve) approves.
    const opsBot = await as('operator');
    const csrf = await opsBot.csrf('/console/runs');
    const requested = await opsBot.post('/console/runs', { csrf, instances: 'db-primary', reason: 'KEV' });
    expect(requested.status).to.equal(303);
    const runPath = (requested.headers.get('location') as string).replace(/\?.*$/, '');
    const runPage = await (await opsBot.get(`${runPath}?done=requested`)).text();
    expect(runPage).to.include('Run requested.');
    expect(runPage).to.include('data-testid="run-status">requested<');
    expect(runPage, 'an operator without approve sees no approve form').not.to.include('/approve"');

    await alice.login(KEYS.approver.key);
    const aCsrf = await alice.csrf(runPath);
    const approved = await alice.post(`${runPath}/approve`, { csrf: aCsrf, comment: 'looks fine' });
    expect(approved.status).to.equal(303);
    const after = await (await alice.get(runPath)).text();
    expect(after).to.include('data-testid="run-status">approved<');
    expect(after).to.include('approved by <strong>alice</strong>');
  });

  it('self-approval through the console is refused with the core\'s reason, and the run stays requested', async () => {
    // A key with both scopes requests, then tries to approve its own run.
    const both = await startConsoleServer(assistant, { keys: [{ name: 'solo', sha256: (await import('../../../adapters/inbound/http/api-keys.js')).sha256Hex('k-solo-0123456789'), scopes: ['read', 'operate', 'approve'] }] });
    try {
      const solo = both.browser();
      await solo.login('k-solo-0123456789');
      const csrf = await solo.csrf('/console/runs');
      const requested = await solo.post('/console/runs', { csrf, instances: 'db-primary' });
      const runPath = (requested.headers.get('location') as string).replace(/\?.*$/, '');
      const page = await (await solo.get(runPath)).text();
      expect(page).to.include('You requested this run: another approver must approve it.');
      const r = await solo.post(`${runPath}/approve`, { csrf });
      const text = await r.text();
      expect(r.status).to.equal(403);
      expect(text).to.include('nobody approves their own run');
      expect(text).to.include('data-testid="run-status">requested<');
      // Cancel is the requester's own to do.
      const cancelled = await solo.post(`${runPath}/cancel`, { csrf });
      expect(cancelled.status).to.equal(303);
      expect(await (await solo.get(runPath)).text()).to.include('data-testid="run-status">cancelled<');
    } finally {
      await both.close();
    }
  });

  it('a run\'s page shows each wave\'s progress (finished of all, by result) from the run\'s record', async () => {
    const b = await as('operator');
    const csrf = await b.csrf('/console/runs');
    const location = (await b.post('/console/runs', { csrf, instances: 'web-2' })).headers.get('location') as string;
    const page = await (await b.get(location)).text();
    // One instance, one wave, nothing sent yet.
    expect(page).to.match(/data-testid="wave-progress-1"><progress max="1" value="0"/);
    expect(page).to.include('0 of 1 finished: 1 pending');
  });

  it('acceptances and the audit log (with its chain verified) are listed', async () => {
    const b = await as('reader');
    const audit = await (await b.get('/console/audit')).text();
    expect(audit).to.match(/data-testid="audit-verify"><p>Hash chain verified: \d+ entries link up/);
    expect(audit).to.include('patch-run.request');
    expect((await b.get('/console/acceptances')).status).to.equal(200);
  });

  it('a filtered fleet page asks the core for one assessment: the account and region choices come from its summary', async () => {
    const calls: unknown[] = [];
    const counting = new Proxy(assistant, {
      get(target, prop, receiver) {
        if (prop === 'assessFleet') return (...args: unknown[]) => (calls.push(args[0]), target.assessFleet(...(args as Parameters<Assistant['assessFleet']>)));
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const server = await startConsoleServer(counting);
    try {
      const b = server.browser();
      await b.login(KEYS.reader.key);
      calls.length = 0;
      const page = await b.get('/console?decision=patch-now&sort=account');
      expect(page.status).to.equal(200);
      expect(calls, 'one assessment, filtered').to.deep.equal([{ decisions: ['patch-now'] }]);
    } finally {
      await server.close();
    }
  });

  it('accept a risk and revoke it through the forms: approve scope, CSRF, the API\'s validation, the core\'s rules, audited', async () => {
    const instance = await assistant.assessInstance('db-replica');
    const vuln = instance.asset.findings.find((f) => f.vulnerabilityId)?.vulnerabilityId as string;
    expect(vuln).to.be.a('string');
    const until = new Date(Date.parse(instance.generatedAt) + 30 * 86_400_000).toISOString().slice(0, 10);

    // Viewers and operators see no form, and a POST of theirs is refused.
    for (const who of ['reader', 'operator'] as const) {
      const b = await as(who);
      const page = await (await b.get('/console/acceptances')).text();
      expect(page, who).not.to.include('data-testid="accept-form"');
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] as string;
      const refused = await b.post('/console/acceptances', { csrf, vulnerabilityId: vuln, instance: 'db-replica', until, reason: 'test' });
      expect(refused.status, who).to.equal(403);
      expect(await refused.text()).to.include('lacks the approve scope');
    }

    const b = await as('approver');
    // The instance page links each finding to the form, filled in.
    expect(await (await b.get('/console/instances/db-replica')).text()).to.include(`href="/console/acceptances?vulnerabilityId=${encodeURIComponent(vuln)}&amp;instance=${instance.asset.instanceId}"`);
    const filled = await (await b.get(`/console/acceptances?vulnerabilityId=${encodeURIComponent(vuln)}&instance=db-replica`)).text();
    expect(filled).to.include(`name="vulnerabilityId" required maxlength="128" value="${vuln}"`);
    const csrf = await b.csrf('/console/acceptances');
    expect((await b.post('/console/acceptances', { vulnerabilityId: vuln, instance: 'db-replica', until, reason: 'test' })).status, 'no CSRF token').to.equal(403);

    // Bad input: the API's message, the form again with what was typed.
    const badDate = await b.post('/console/acceptances', { csrf, vulnerabilityId: vuln, instance: 'db-replica', until: 'next week', reason: 'compensating control' });
    expect(badDate.status).to.equal(400);
    const badText = await badDate.text();
    expect(badText).to.include('body.until: expected an ISO 8601 date or date-time');
    expect(badText).to.include('value="compensating control"');
    const past = await b.post('/console/acceptances', { csrf, vulnerabilityId: vuln, instance: 'db-replica', until: '2020-01-01', reason: 'x' });
    expect(past.status).to.equal(400);
    expect(await past.text()).to.match(/until/);
    const unknown = await b.post('/console/acceptances', { csrf, vulnerabilityId: 'CVE-1999-0001', instance: 'db-replica', until, reason: 'x' });
    expect(unknown.status).to.equal(400);
    expect(await unknown.text()).to.include('matches no finding on db-replica');
    const noInstance = await b.post('/console/acceptances', { csrf, vulnerabilityId: vuln, instance: 'no-such-host', until, reason: 'x' });
    expect(noInstance.status).to.equal(404);

    const ok = await b.post('/console/acceptances', { csrf, vulnerabilityId: vuln, instance: 'db-replica', until, reason: 'compensating control: WAF rule' });
    expect(ok.status).to.equal(303);
    expect(ok.headers.get('location')).to.equal('/console/acceptances?done=accepted');
    const [made] = (await assistant.listAcceptances({ id: 'alice', roles: ['approver'], via: 'http' } as never, {})).filter((a) => a.vulnerabilityId === vuln);
    expect(made?.acceptedBy).to.equal('alice');
    expect(made?.instanceId).to.equal(instance.asset.instanceId);
    // The capture's own account and region (its snapshot.json): the acceptance applies to that instance only.
    expect(made).to.include({ accountId: '123456789012', region: 'us-east-1' });
    const listed = await (await b.get('/console/acceptances?done=accepted')).text();
    expect(listed).to.include('Risk accepted.');
    expect(listed).to.include(`>123456789012/us-east-1/${instance.asset.instanceId}</a>`);
    // The listing links the instance by that form; a read of one account takes it back.
    expect((await b.get(`/console/instances/${encodeURIComponent(`123456789012/us-east-1/${instance.asset.instanceId}`)}`)).status).to.equal(200);
    expect(listed).to.include(`action="/console/acceptances/${made?.id}/revoke"`);
    expect((await assistant.assessInstance('db-replica')).asset.accepted.map((f) => f.vulnerabilityId)).to.include(vuln);

    const revoked = await b.post(`/console/acceptances/${made?.id}/revoke`, { csrf });
    expect(revoked.status).to.equal(303);
    expect(revoked.headers.get('location')).to.equal('/console/acceptances?done=revoked');
    const again = await b.post(`/console/acceptances/${made?.id}/revoke`, { csrf });
    expect(again.status, 'already revoked: refused by the core').to.equal(409);
    expect((await b.post('/console/acceptances/acc-nope/revoke', { csrf })).status).to.equal(404);
    expect((await assistant.assessInstance('db-replica')).asset.accepted.map((f) => f.vulnerabilityId)).not.to.include(vuln);

    const audit = await (await b.get('/console/audit')).text();
    expect(audit).to.match(new RegExp(`<td>alice</td><td>[^<]*</td><td>risk\\.accept</td><td>${made?.id}</td><td>ok</td><td>${vuln} on 123456789012/us-east-1/${instance.asset.instanceId} until `));
    expect(audit).to.match(new RegExp(`<td>alice</td><td>[^<]*</td><td>risk\\.revoke</td><td>${made?.id}</td><td>ok</td>`));
  });

  it('changes and trend: with nothing recorded they say how to record; with history they show what changed and a chart per day', async () => {
    const b = await as('reader');
    for (const path of ['/console/changes', '/console/trend']) {
      const empty = await b.get(path);
      expect(empty.status, path).to.equal(200);
      const text = await empty.text();
      expect(text, path).to.include('data-testid="no-history"');
      expect(text, path).to.include('sre-ops assess --record');
    }
    // Two assessments: two days ago without the top asset, and now.
    const report = await assistant.assessFleet();
    const top = report.assets[0];
    if (!top) throw new Error('the demo fleet has assets');
    const earlier = { ...report, generatedAt: new Date(Date.parse(report.generatedAt) - 2 * 86_400_000).toISOString(), assets: report.assets.slice(1) };
    await assistant.recordAssessment(earlier);
    await assistant.recordAssessment(report);
    const expected = await assistant.changes({ since: '24h' });
    expect(expected.counts.added).to.be.greaterThan(0);
    const changes = await (await b.get('/console/changes')).text();
    expect(changes).not.to.include('data-testid="no-history"');
    expect(changes).to.match(new RegExp(`<td>new findings</td><td class="num">${expected.counts.added}</td>`));
    expect(changes).to.include(`<a href="/console/instances/${encodeURIComponent(top.instanceId)}">${top.name ?? top.instanceId}</a>`);
    expect(changes).to.include('href="/console/changes" aria-current="page"');
    const trend = await assistant.trend({ days: 30 });
    expect(trend.series).to.have.length(2);
    const page = await (await b.get('/console/trend?days=30')).text();
    expect(page).to.match(/<svg class="chart line-chart"[^>]*role="img"/);
    expect(page).to.include('<path class="line trend"');
    for (const d of trend.series) expect(page).to.include(`<tr><td>${d.day}</td><td class="num">${d.findings}</td><td class="num">${d.overdue}</td>`);
    const bad = await b.get('/console/changes?since=1y');
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.include('query.since: expected one of 24h, 7d');
  });

  it('pages load nothing from another origin, and carry no inline script or style (the CSP forbids them)', async () => {
    const b = await as('operator');
    const csrf = await b.csrf('/console/runs');
    const run = (await b.post('/console/runs', { csrf, instances: 'web-2' })).headers.get('location') as string;
    for (const path of ['/console', '/console/instances/db-replica', '/console/plan', '/console/runs', run, '/console/acceptances', '/console/audit', '/console/changes', '/console/trend', '/console/login']) {
      const r = await b.get(path);
      const html = await r.text();
      expect(r.headers.get('content-security-policy'), path).to.equal("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
      expect(html, path).not.to.match(/<script(?![^>]*\ssrc="\/console\/assets\/)/);
      expect(html, path).not.to.match(/<style|\sstyle=|\son[a-z]+=/i);
      expect(html, path).not.to.match(/(src|href|action)="(https?:)?\/\//);
    }
  });

  it('the whole first load of every page (page, stylesheet, script) is under 300 KB gzip-compressed', async () => {
    const b = await as('approver');
    const sizes: Record<string, number> = {};
    for (const path of ['/console/login', '/console', '/console/instances/db-replica', '/console/plan', '/console/runs', '/console/audit', '/console/changes', '/console/trend']) {
      const html = await (await b.get(path)).text();
      let total = gzipSync(html).length;
      for (const m of html.matchAll(/(?:href|src)="(\/console\/assets\/[^"]+)"/g)) {
        const asset = await b.get(m[1] as string);
        expect(asset.status).to.equal(200);
        expect(asset.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
        total += gzipSync(Buffer.from(await asset.arrayBuffer())).length;
      }
      sizes[path] = total;
      expect(total, `${path}: ${total} bytes`).to.be.below(300 * 1024);
    }
    // The numbers docs/console.md quotes; printed for the record.
    console.log(`      first-load gzip bytes: ${JSON.stringify(sizes)}`);
  });
});
