import { expect } from 'chai';
import { generateKeyPairSync, sign } from 'node:crypto';
import { AlbOidcVerifier, AlbTokenError, KEY_RETRY_MS, regionOfSigner } from '../../../../../adapters/inbound/http/console/alb-oidc.js';
import { fleetPage, PAGE_SIZE, type FleetQuery } from '../../../../../adapters/inbound/http/console/fleet-pages.js';
import { runPage } from '../../../../../adapters/inbound/http/console/operation-pages.js';
import type { PatchRunReport } from '../../../../../ports/inbound/patching/patch-runs.port.js';
import { changesPage, trendPage } from '../../../../../adapters/inbound/http/console/history-pages.js';
import { escapeHtml, html, queryString } from '../../../../../adapters/inbound/http/console/html.js';
import { ANONYMOUS } from '../../../../../adapters/inbound/http/middleware/access-control.js';
import { SessionSigner } from '../../../../../adapters/inbound/http/console/sessions.js';
import { MemorySessionRevocations } from '../../../../../adapters/outbound/memory/memory-session-revocations.js';
import { lineChart, weeklyOccurrences } from '../../../../../adapters/inbound/http/console/svg-charts.js';
import type { AssetReport, FleetReport } from '../../../../../ports/inbound/assessment/fleet-report.port.js';

const T0 = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;

/** The summary's byAccount and byRegion of `assets` (what AssessFleet counts). */
function summaryOf(assets: readonly AssetReport[]): { byAccount: Record<string, number>; byRegion: Record<string, number> } {
  const byAccount: Record<string, number> = {};
  const byRegion: Record<string, number> = {};
  for (const a of assets) {
    if (a.accountId) byAccount[a.accountId] = (byAccount[a.accountId] ?? 0) + 1;
    if (a.region) byRegion[a.region] = (byRegion[a.region] ?? 0) + 1;
  }
  return { byAccount, byRegion };
}

describe('console (pure parts)', () => {
  describe('html', () => {
    it('escapes every interpolated string, keeps nested html, drops null, undefined and false', () => {
      const evil = '<script>alert("x")</script>&\'';
      const out = html`<td title="${evil}">${evil}${html`<b>${'a<b'}</b>`}${null}${undefined}${false}${[1, '<', html`<i></i>`]}</td>`.toString();
      expect(out).to.equal(`<td title="${escapeHtml(evil)}">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<b>a&lt;b</b>1&lt;<i></i></td>`);
      expect(queryString({ a: 'x y', b: '', c: undefined, d: 2 })).to.equal('?a=x+y&d=2');
    });
  });

  describe('sessions', () => {
    const clock = { t: T0, now() { return this.t; } };
    const signer = new SessionSigner(Buffer.alloc(32, 1), clock, new MemorySessionRevocations(() => clock.now()), 8 * HOUR);

    it('a token verifies until it expires; any change to it is refused', async () => {
      clock.t = T0;
      const { token, claims } = signer.issue('alice');
      expect(await signer.verify(token)).to.deep.equal(claims);
      const [body, sig] = token.split('.') as [string, string];
      const flipped = `${body}.${sig.slice(0, -2)}${sig.at(-2) === 'A' ? 'B' : 'A'}${sig.at(-1)}`;
      expect(await signer.verify(flipped)).to.equal('bad-signature');
      const other = new SessionSigner(Buffer.alloc(32, 2), clock, new MemorySessionRevocations());
      expect(await other.verify(token), 'another secret').to.equal('bad-signature');
      expect(await signer.verify(undefined)).to.equal('malformed');
      expect(await signer.verify(`${body}`)).to.equal('malformed');
      clock.t = T0 + 8 * HOUR;
      expect(await signer.verify(token)).to.equal('expired');
    });

    it('a revoked token is refused; others are not', async () => {
      clock.t = T0;
      const a = signer.issue('alice');
      const b = signer.issue('alice');
      await signer.revoke(a.claims);
      expect(await signer.verify(a.token)).to.equal('revoked');
      expect(await signer.verify(b.token)).to.deep.equal(b.claims);
    });

    it('CSRF tokens are bound to what they were made for', () => {
      const t = signer.csrfToken('session:n1');
      expect(signer.checkCsrf('session:n1', t)).to.equal(true);
      expect(signer.checkCsrf('session:n2', t)).to.equal(false);
      expect(signer.checkCsrf('session:n1', undefined)).to.equal(false);
      expect(signer.checkCsrf('session:n1', `${t}x`)).to.equal(false);
    });

    it('refuses a secret under 32 bytes', () => {
      expect(() => new SessionSigner(Buffer.alloc(31), clock, new MemorySessionRevocations())).to.throw(/32 bytes/);
    });
  });

  describe('ALB OIDC tokens', () => {
    const arn = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const token = (payload: Record<string, unknown>, header: Record<string, unknown> = {}): string => {
      const h = b64({ alg: 'ES256', kid: 'k1', signer: arn, ...header });
      const p = b64(payload);
      return `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    };
    const urls: string[] = [];
    const verifier = new AlbOidcVerifier({ signerArn: arn, clock: { now: () => T0 }, fetchKey: async (url) => (urls.push(url), pem) });

    it('verifies a token and names the person by the email claim; fetches the key once per kid from the regional endpoint', async () => {
      const exp = T0 / 1000 + 60;
      expect(await verifier.verify(token({ email: 'carol@example.com', name: 'Carol', exp }))).to.deep.equal({ id: 'carol@example.com', displayName: 'Carol' });
      await verifier.verify(token({ email: 'dave@example.com', exp }));
      expect(urls).to.deep.equal(['https://public-keys.auth.elb.us-east-2.amazonaws.com/k1']);
    });

    it('refuses what it cannot trust, saying why', async () => {
      const exp = T0 / 1000 + 60;
      const cases: [string, RegExp][] = [
        [token({ email: 'c@x', exp: T0 / 1000 }), /expired/],
        [token({ email: 'c@x' }), /no expiry/],
        [token({ sub: 'u1', exp }), /no "email" claim/],
        [token({ email: 'c@x', exp }, { signer: arn.replace('web', 'other') }), /another load balancer/],
        [token({ email: 'c@x', exp }, { alg: 'RS256' }), /alg/],
        [token({ email: 'c@x', exp }, { kid: '../../etc' }), /no valid kid/],
        ['a.b', /not a JWT/],
      ];
      for (const [t, why] of cases) {
        const err = await verifier.verify(t).then(() => null, (e: unknown) => e);
        expect(err, String(why)).to.be.instanceOf(AlbTokenError);
        expect((err as Error).message).to.match(why);
      }
    });

    it('a kid whose key could not be fetched is not fetched again for 30 s', async () => {
      const clock = { t: T0, now() { return this.t; } };
      const tried: string[] = [];
      let up = false;
      const v = new AlbOidcVerifier({ signerArn: arn, clock, fetchKey: async (url) => {
        tried.push(url);
        if (!up) throw new Error('HTTP 503');
        return pem;
      } });
      const t = token({ email: 'c@x', exp: T0 / 1000 + 3600 });
      for (let i = 0; i < 3; i++) expect(await v.verify(t).then(() => 'ok', (e: Error) => e.message)).to.match(/could not be fetched/);
      expect(tried).to.have.length(1);
      up = true;
      clock.t += KEY_RETRY_MS;
      expect(await v.verify(t)).to.deep.equal({ id: 'c@x' });
      expect(tried).to.have.length(2);
    });

    it('takes the region from the signer ARN and refuses anything else', () => {
      expect(regionOfSigner(arn)).to.equal('us-east-2');
      expect(() => regionOfSigner('arn:aws:iam::123456789012:role/x')).to.throw(/application load balancer ARN/);
    });
  });

  describe('charts', () => {
    it('weekly occurrences of a window fall back by whole weeks into the range', () => {
      const start = T0 + 2 * 24 * HOUR;
      const occ = weeklyOccurrences(start, start + 3 * HOUR, T0 - 14 * 24 * HOUR, T0);
      expect(occ.map((o) => (start - o.start) / (7 * 24 * HOUR))).to.deep.equal([2, 1]);
    });

    it('a line chart is an image with a title and description, its bands clipped to the axis', () => {
      const svg = lineChart({
        points: [{ t: T0 - 2 * HOUR, v: 10 }, { t: T0 - HOUR, v: 90 }], from: T0 - 3 * HOUR, to: T0, yMax: 100, unit: '%', kind: 'cpu',
        bands: [{ start: T0 - 4 * HOUR, end: T0 - 2 * HOUR, kind: 'quiet-window', label: 'w <1>' }, { start: T0 + HOUR, end: T0 + 2 * HOUR, kind: 'quiet-window', label: 'outside' }],
        title: 'CPU <x>', desc: 'd',
      }).toString();
      expect(svg).to.match(/^<svg class="chart line-chart" [^>]*role="img" aria-labelledby="(line-\d+)-t \1-d"/);
      expect(svg).to.include('<title id="').and.include('CPU &lt;x&gt;');
      expect(svg.match(/<rect class="band quiet-window"/g)).to.have.length(1);
      expect(svg).to.include('<title>w &lt;1&gt;</title>');
      expect(svg).to.match(/<path class="line cpu" d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+"/);
    });
  });

  describe('fleet page', () => {
    const asset = (i: number): AssetReport => ({
      instanceId: `i-${i.toString(16).padStart(8, '0')}`, name: `host-${String(i).padStart(3, '0')}`, state: 'running', environment: null, autoScalingGroup: null,
      mission: 'medium', exposed: false, managed: true, riskScore: 100 - i, decision: 'routine', decisionReasons: [], dueBy: null, rebootExpected: false,
      forensicTriage: false, scoreReasons: [], findings: [], accepted: [],
    });
    const report = {
      generatedAt: new Date(T0).toISOString(), asOf: 'option', source: 'test', assets: Array.from({ length: 60 }, (_, i) => asset(i)), warnings: [],
      summary: { assets: 60, findings: 0, byDecision: { 'patch-now': 0, 'next-window': 0, routine: 60, mitigate: 0, blocked: 0, none: 0 }, bySsvc: { act: 0, attend: 0, 'track*': 0, track: 0 }, overdue: 0, accepted: 0 },
    } as FleetReport;
    const ctx = { principal: { ...ANONYMOUS, via: 'anonymous' as const }, csrf: null, path: '/console' };
    const q = (over: Partial<FleetQuery> = {}): FleetQuery => ({ sort: 'risk', dir: 'desc', page: 1, ...over });
    const names = (page: string): string[] => {
      const table = /data-testid="assets">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
      return [...table.matchAll(/>(host-\d{3})<\/a>/g)].map((m) => m[1] as string);
    };

    it('pages of 25, in rank order, with next and previous links that keep the filters', () => {
      const p2 = fleetPage(ctx, report, q({ page: 2, decision: 'routine' })).toString();
      expect(names(p2)).to.deep.equal(report.assets.slice(PAGE_SIZE, 2 * PAGE_SIZE).map((a) => a.name));
      expect(p2).to.include('Page 2 of 3 (60 instances)');
      expect(p2).to.include('href="/console?decision=routine" rel="prev"');
      expect(p2).to.include('href="/console?decision=routine&amp;page=3" rel="next"');
    });

    it('sorts by a column both ways and says so to assistive technology', () => {
      const asc = fleetPage(ctx, report, q({ sort: 'risk', dir: 'asc' })).toString();
      expect(names(asc)[0]).to.equal('host-059');
      expect(asc).to.match(/aria-sort="ascending"><a href="\/console"/);
      const byName = fleetPage(ctx, report, q({ sort: 'name', dir: 'desc', page: 3 })).toString();
      expect(names(byName)).to.deep.equal(['host-009', 'host-008', 'host-007', 'host-006', 'host-005', 'host-004', 'host-003', 'host-002', 'host-001', 'host-000']);
    });

    it('a run shows each wave\'s progress and each instance\'s account, region and result', () => {
      const inst = (n: number, status: string, accountId?: string, region?: string) => ({ instanceId: `i-${n}`, name: `web-${n}`, production: false, status, detail: null, ...(accountId ? { accountId, region } : {}) });
      const run = {
        id: 'r-1', status: 'running', operation: 'Install', rebootOption: 'RebootIfNeeded', requestedBy: 'alice', requestedAt: new Date(T0).toISOString(), reason: null,
        needsApproval: false, approvals: [], approvalExpiresAt: null, currentWave: 2, haltReason: null, snapshotId: 's', updatedAt: new Date(T0).toISOString(), version: 3,
        waves: [
          { number: 1, canary: true, status: 'succeeded', commandId: 'c-1', sentAt: null, verifiedAt: null, instances: [inst(1, 'succeeded', '111111111111', 'eu-west-1')] },
          { number: 2, canary: false, status: 'running', commandId: 'c-2', sentAt: null, verifiedAt: null, instances: [inst(2, 'succeeded', '222222222222', 'us-east-1'), inst(3, 'failed', '222222222222', 'us-east-1'), inst(4, 'in-progress', '111111111111', 'eu-west-1'), inst(5, 'pending')] },
        ],
      } as unknown as PatchRunReport;
      const page = runPage(ctx, run).toString();
      expect(page).to.include('<p data-testid="wave-progress-1"><progress max="1" value="1"');
      expect(page).to.match(/data-testid="wave-progress-2"><progress max="4" value="2"[^>]*><\/progress> 2 of 4 finished: 1 succeeded, 1 failed, 1 in-progress, 1 pending</);
      expect(page).to.include('<th scope="col">account</th><th scope="col">region</th>');
      expect(page).to.include('>web-3</a></td><td>222222222222</td><td>us-east-1</td><td>no</td><td>failed</td>');
      expect(page).to.include('>web-5</a></td><td>—</td><td>—</td>');
      // A single-account run (no account recorded) has no such columns.
      const plain = { ...run, waves: [{ ...run.waves[0], instances: [inst(1, 'pending')] }] } as unknown as PatchRunReport;
      expect(runPage(ctx, plain).toString()).not.to.include('<th scope="col">account</th>');
    });

    it('changes and trend without any history store say so and how to record, not an error', () => {
      for (const page of [changesPage(ctx, null, '24h').toString(), trendPage(ctx, null, '30').toString()]) {
        expect(page).to.include('This service keeps no history of assessments.');
        expect(page).to.include('<code>sre-ops assess --record</code>');
      }
    });

    it('sorts by account and by region, both ways, keeping the rank order within each', () => {
      const orgAssets = report.assets.map((a, i) => ({ ...a, accountId: ['333333333333', '111111111111', '222222222222'][i % 3] as string, region: i % 2 ? 'us-east-1' : 'eu-west-1' }));
      const org = { ...report, assets: orgAssets, summary: { ...report.summary, ...summaryOf(orgAssets) } } as FleetReport;
      const cells = (page: string, col: number): string[] => {
        const body = /data-testid="assets">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';
        return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...(m[1] as string).matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)][col]?.[1] as string);
      };
      const byAccount = fleetPage(ctx, org, q({ sort: 'account', dir: 'asc' })).toString();
      const accounts = cells(byAccount, 8);
      expect(accounts).to.have.length(PAGE_SIZE);
      expect(accounts.slice(0, 20).every((a) => a === '111111111111')).to.equal(true);
      expect(accounts.slice(20)).to.deep.equal(Array(5).fill('222222222222'));
      // Within one account, still ranked by risk (the report's order).
      expect(names(byAccount).slice(0, 3)).to.deep.equal(['host-001', 'host-004', 'host-007']);
      expect(byAccount).to.match(/aria-sort="ascending"><a href="\/console\?sort=account&amp;dir=desc">account/);
      const desc = fleetPage(ctx, org, q({ sort: 'account', dir: 'desc' })).toString();
      expect(cells(desc, 8)[0]).to.equal('333333333333');
      const byRegion = fleetPage(ctx, org, q({ sort: 'region', dir: 'desc' })).toString();
      expect(new Set(cells(byRegion, 9))).to.deep.equal(new Set(['us-east-1']));
      expect(byRegion).to.include('aria-sort="descending"><a href="/console?sort=region">region');
    });

    it('account and region filters and columns show only when the fleet spans more than one', () => {
      const single = fleetPage(ctx, report, q()).toString();
      expect(single).not.to.include('id="f-account"');
      expect(single).not.to.include('<th scope="col">account</th>');
      const orgAssets = report.assets.map((a, i) => ({ ...a, accountId: i % 2 ? '111111111111' : '222222222222', region: i % 3 ? 'eu-west-1' : 'us-east-1' }));
      const org = { ...report, assets: orgAssets, summary: { ...report.summary, ...summaryOf(orgAssets) } } as FleetReport;
      const page = fleetPage(ctx, org, q({ page: 2 })).toString();
      expect(page).to.include('<option value="111111111111">');
      expect(page).to.include('<option value="222222222222">');
      expect(page).to.include('id="f-region"');
      expect(page).to.match(/<th scope="col" aria-sort="none"><a href="\/console\?sort=account">account<span class="visually-hidden">, sort ascending<\/span><\/a><\/th><th scope="col" aria-sort="none"><a href="\/console\?sort=region">region/);
      expect(page).to.match(/<td>(111111111111|222222222222)<\/td><td>(eu-west-1|us-east-1)<\/td>/);
      // Filtered to one account (the answer's summary names only it), the filter keeps the choice
      // and "any"; one account left: no account column.
      const mine = orgAssets.filter((a) => a.accountId === '111111111111');
      const oneAccount = { ...org, assets: mine, summary: { ...report.summary, ...summaryOf(mine) } } as FleetReport;
      const scoped = fleetPage(ctx, oneAccount, q({ account: '111111111111', page: 2 })).toString();
      expect(scoped).to.include('<option value="111111111111" selected>');
      expect(scoped).not.to.include('<option value="222222222222">');
      expect(scoped).not.to.include('<th scope="col" aria-sort="none"><a href="/console?account=111111111111&amp;sort=account">');
      expect(scoped).to.include('href="/console?account=111111111111" rel="prev"');
      // One account but two regions: the region filter alone.
      const regionAssets = report.assets.map((a, i) => ({ ...a, accountId: '111111111111', region: i % 2 ? 'eu-west-1' : 'us-east-1' }));
      const regions = { ...report, assets: regionAssets, summary: { ...report.summary, ...summaryOf(regionAssets) } } as FleetReport;
      const r = fleetPage(ctx, regions, q()).toString();
      expect(r).to.include('id="f-region"');
      expect(r).not.to.include('id="f-account"');
    });
  });
});
