import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HttpResult } from '../../../adapters/inbound/chat/api-gateway-event.js';
import { bundleLambdas, type BundleResult } from '../../../scripts/bundle-lambdas.js';
import { startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { cardText } from './teams-harness.js';
import { activity, teamsEvent } from './teams-events.js';

describe('the Teams Lambda bundle (npm run bundle), loaded and called as Lambda would', function () {
  this.timeout(60_000);
  let out: string;
  let result: BundleResult;
  let bundle: string;
  let connector: CaptureServer;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'sre-ops-bundle-'));
    [result] = (await bundleLambdas({ outDir: out, only: ['teams'], sourcemap: false })) as [BundleResult];
    bundle = result.file;
    connector = await startCaptureServer((req) => (req.method === 'POST' ? { json: { id: 'bot-msg-1' } } : undefined));
  });
  after(async () => {
    await connector.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('loads at cold start botbuilder, which every request needs, and neither the Assistant nor the AWS SDK', () => {
    expect(result.initInputs.some((i) => i.startsWith('botbuilder/'))).to.equal(true);
    const heavy = /^(@aws-sdk\/client-|composition\/(index|container)\.ts$)/;
    expect(result.initInputs.filter((i) => heavy.test(i))).to.deep.equal([]);
    expect(result.initBytes).to.be.below(result.bytes);
  });

  it('is index.mjs and its chunks under 5 MB exporting handler, and answers "sre help" with a card', async () => {
    expect(bundle).to.equal(join(out, 'teams', 'index.mjs'));
    expect(result.bytes).to.be.below(5 * 1024 * 1024);
    const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: (e: unknown, c: unknown) => Promise<HttpResult | undefined> };

    const res = await handler(teamsEvent(activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre help', id: 'act-1' }), { shape: 'v2' }), {});

    expect(res?.statusCode).to.equal(200);
    const [reply] = connector.requests;
    expect(reply!.path).to.equal('/teams/v3/conversations/a%3Aconv-1/activities/act-1');
    expect(cardText(reply!)).to.include('SRE assistant');
  });
});
