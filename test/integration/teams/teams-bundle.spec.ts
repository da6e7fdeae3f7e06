import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HttpResult } from '../../../adapters/inbound/chat/api-gateway-event.js';
import { bundleLambdas, type BundleResult } from '../../../scripts/bundle-lambdas.js';
import { startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { cardText } from './teams-harness.js';
import { activity, channelToken, signingKey, teamsEvent } from './teams-events.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const KEY = signingKey('bundle-key-1');

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
    connector = await startCaptureServer((req) => {
      if (req.path === '/openid/.well-known/openidconfiguration') return { json: { issuer: 'https://api.botframework.com', jwks_uri: `http://${req.headers.host}/openid/keys`, id_token_signing_alg_values_supported: ['RS256'] } };
      if (req.path === '/openid/keys') return { json: { keys: [KEY.jwk] } };
      if (req.path.startsWith('/2015-03-31/functions/')) return { status: 202, text: '' };
      return req.method === 'POST' ? { json: { id: 'bot-msg-1' } } : undefined;
    });
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

  it('with an app id, checks the Bot Framework token against the OpenID keys (401 without one) and hands the work off', async () => {
    const vars: Record<string, string> = {
      MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-password', MicrosoftAppType: 'MultiTenant',
      ToBotFromChannelOpenIdMetadataUrl: `${connector.url}/openid/.well-known/openidconfiguration`,
      ToBotFromEmulatorOpenIdMetadataUrl: `${connector.url}/emulator/.well-known/openidconfiguration`,
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com', CallerId: 'urn:botframework:azure', ValidateAuthority: 'true',
      AWS_LAMBDA_FUNCTION_NAME: 'sre-teams', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL_LAMBDA: connector.url,
    };
    const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      // A fresh instance of the bundle (a new module URL), which reads this environment.
      const { handler } = (await import(`${pathToFileURL(bundle).href}?auth`)) as { handler: (e: unknown, c: unknown) => Promise<HttpResult | undefined> };
      const body = activity({ serviceUrl: `${connector.url}/teams/`, text: 'sre plan', id: 'act-2' });
      const token = channelToken(KEY.privateKey, 'bundle-key-1', { aud: APP_ID, serviceurl: `${connector.url}/teams/` });

      const refused = await handler(teamsEvent(body), {});
      const accepted = await handler(teamsEvent(body, { authorization: `Bearer ${token}`, shape: 'v2' }), {});

      expect([refused?.statusCode, accepted?.statusCode]).to.deep.equal([401, 200]);
      expect(connector.to('/openid/keys'), 'the keys were fetched (node-fetch in the bundle)').to.not.be.empty;
      expect(connector.to('/2015-03-31/functions/sre-teams/invocations')).to.have.length(1);
    } finally {
      for (const [k, v] of Object.entries(old)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
