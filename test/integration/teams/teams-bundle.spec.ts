import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HttpResult } from '../../../adapters/inbound/chat/api-gateway-event.js';
import { bundleLambdas } from '../../../scripts/bundle-lambdas.js';
import { startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { cardText } from './teams-harness.js';
import { activity, teamsEvent } from './teams-events.js';

describe('the Teams Lambda bundle (npm run bundle), loaded and called as Lambda would', function () {
  this.timeout(60_000);
  let out: string;
  let bundle: string;
  let connector: CaptureServer;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'sre-ops-bundle-'));
    const [result] = await bundleLambdas({ outDir: out, only: ['teams'], sourcemap: false });
    bundle = result!.file;
    connector = await startCaptureServer((req) => (req.method === 'POST' ? { json: { id: 'bot-msg-1' } } : undefined));
  });
  after(async () => {
    await connector.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('is one ES module under 5 MB exporting handler, and answers "sre help" with a card', async () => {
    expect(bundle).to.equal(join(out, 'teams', 'index.mjs'));
    expect(statSync(bundle).size).to.be.below(5 * 1024 * 1024);
    const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: (e: unknown, c: unknown) => Promise<HttpResult | undefined> };

    const res = await handler(teamsEvent(activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre help', id: 'act-1' }), { shape: 'v2' }), {});

    expect(res?.statusCode).to.equal(200);
    const [reply] = connector.requests;
    expect(reply!.path).to.equal('/teams/v3/conversations/a%3Aconv-1/activities/act-1');
    expect(cardText(reply!)).to.include('SRE assistant');
  });
});
