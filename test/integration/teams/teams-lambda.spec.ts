import { expect } from 'chai';
import { EMULATOR_NOTICE } from '../../../adapters/inbound/teams/teams-bot.js';
import sinon from 'sinon';
import type { HttpResult } from '../../../adapters/inbound/chat/api-gateway-event.js';
import type { DeferredJob } from '../../../ports/outbound/deferred-work.port.js';
import { cardOf, cardText, teamsHarness, type TeamsHarness } from './teams-harness.js';
import { activity, APPROVER_AAD, BYSTANDER_AAD, channelToken, REQUESTER_AAD, signingKey, teamsEvent, TENANT } from './teams-events.js';

describe('Teams Lambda handler (API Gateway events, Bot Framework connector on loopback)', function () {
  this.timeout(20_000);
  let h: TeamsHarness;
  beforeEach(async () => (h = await teamsHarness()));
  afterEach(() => h.close());

  for (const shape of ['v1', 'v2'] as const) {
    it(`answers "sre help" with a card in the turn (${shape})`, async () => {
      const res = await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre help', id: 'act-help' }), { shape, base64: shape === 'v2' }), {});

      expect(res?.statusCode).to.equal(200);
      const [reply] = h.sent();
      expect(reply!.path).to.equal('/teams/v3/conversations/a%3Aconv-1/activities/act-help');
      expect(cardText(reply!)).to.include('SRE assistant').and.include('sre assess [INSTANCE]');
      expect(h.deferred.pending).to.have.length(0);
    });
  }

  it('reads a mention, answers after the turn, and replies with the instance card', async () => {
    const res = await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'assess web-1', mention: true, id: 'act-1' }), { shape: 'v2' }), {});

    expect(res?.statusCode).to.equal(200);
    expect(h.spy.calls.filter((c) => c.method === 'assessInstance')).to.have.length(0);
    expect(h.sent()).to.have.length(0);
    await h.deferred.idle();

    const [reply] = h.sent();
    expect(reply!.path).to.equal('/teams/v3/conversations/a%3Aconv-1/activities/act-1');
    const card = cardOf(reply!);
    expect(card.body[0]!.text).to.match(/^web-1 \(i-[0-9a-f]+\)$/);
    const facts = card.body.find((b) => b.type === 'FactSet')!.facts!;
    expect(facts.map((f) => f.title)).to.include.members(['Risk', 'Decision', 'Exposed', 'SSM-managed']);
    expect(cardText(reply!)).to.include('Top findings');
  });

  it('answers a usage error in the turn and an unknown instance with close matches', async () => {
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre frobnicate' })), {});
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre findings web-9' })), {});
    await h.deferred.idle();

    const [usage, missing] = h.sent().map(cardText);
    expect(usage).to.include('unknown command "frobnicate"').and.include('sre help');
    expect(missing).to.include('No instance "web-9"').and.match(/did you mean/);
  });

  it('runs the approval round trip with Action.Submit: self-approval refused, a colleague approves, the run executes', async () => {
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre patch web-1', aad: REQUESTER_AAD, id: 'act-patch' })), {});
    await h.deferred.idle();
    const [request] = h.sent();
    const card = cardOf(request!);
    expect(card.actions!.map((a) => [a.type, a.title, a.data])).to.deep.equal([
      ['Action.Submit', 'Approve', { sreAction: 'approve', runId: 'run-1' }],
      ['Action.Submit', 'Reject', { sreAction: 'reject', runId: 'run-1' }],
    ]);
    expect(h.ops.called('requestPatchRun')[0]!.actor).to.deep.include({ id: `teams:${REQUESTER_AAD}`, via: 'teams' });

    // The requester's own click: a refusal, nothing approved, the card untouched.
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, value: { sreAction: 'approve', runId: 'run-1' }, aad: REQUESTER_AAD, replyToId: 'bot-msg-1' })), {});
    await h.deferred.idle();
    expect(cardText(h.sent()[1]!)).to.include('You cannot approve your own run');
    expect(h.ops.called('approvePatchRun')).to.have.length(0);
    expect(h.updated()).to.have.length(0);

    // A colleague with the approver role: the card is updated and the run executes as its requester.
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, value: { sreAction: 'approve', runId: 'run-1' }, aad: APPROVER_AAD, name: 'Bob', replyToId: 'bot-msg-1' })), {});
    await h.deferred.idle();
    expect(h.ops.called('approvePatchRun')[0]!.actor.id).to.equal(`teams:${APPROVER_AAD}`);
    expect(h.ops.called('executePatchRun')[0]!.actor.id).to.equal(`teams:${REQUESTER_AAD}`);
    const updates = h.updated();
    expect(updates.every((u) => u.path.endsWith('/activities/bot-msg-1'))).to.equal(true);
    expect(cardText(updates[0]!)).to.include('approved by Bob');
    expect(cardOf(updates[0]!).actions ?? []).to.have.length(0);
    expect(cardText(updates.at(-1)!)).to.include('succeeded');
    // The harness runs the bot in emulator mode: every reply says so first.
    expect(h.sent().at(-1)!.body.text).to.equal(`${EMULATOR_NOTICE}\n\nPatch run run-1 succeeded`);
  });

  it('with the service\'s executor deployed, an approval only changes state: the card says who drives the run and nothing executes here', async () => {
    await h.close();
    h = await teamsHarness({ env: () => ({ SRE_OPS_EXECUTOR_DEPLOYED: '1' }) });
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre patch web-1', aad: REQUESTER_AAD, id: 'act-patch' })), {});
    await h.deferred.idle();
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, value: { sreAction: 'approve', runId: 'run-1' }, aad: APPROVER_AAD, name: 'Bob', replyToId: 'bot-msg-1' })), {});
    await h.deferred.idle();
    expect(h.ops.called('approvePatchRun')).to.have.length(1);
    expect(h.ops.called('executePatchRun'), 'no command is sent from the Lambda').to.have.length(0);
    expect((await h.ops.getPatchRun(h.ops.called('approvePatchRun')[0]!.actor, 'run-1')).status).to.equal('approved');
    const updates = h.updated();
    expect(updates).to.have.length(1);
    expect(cardText(updates[0]!)).to.include('approved by Bob').and.include("service's executor drives run run-1").and.include('sre run run-1');
  });

  it('with the service\'s executor deployed, a run that needs no approval is not executed here either; the request records its conversation for the progress', async () => {
    await h.close();
    h = await teamsHarness({ env: () => ({ SRE_OPS_EXECUTOR_DEPLOYED: '1' }), needsApproval: false });
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre patch dev-1', aad: REQUESTER_AAD, id: 'act-patch' })), {});
    await h.deferred.idle();

    expect(h.ops.called('executePatchRun'), 'no command is sent from the Lambda').to.have.length(0);
    expect(h.sent()).to.have.length(1);
    expect(cardText(h.sent()[0]!)).to.include("service's executor drives run run-1").and.include('sre run run-1');
    expect(h.updated()).to.have.length(0);
    // Where the executor replies: under the asking message, through this conversation's connector.
    expect(h.ops.called('requestPatchRun')[0]!.args[1]).to.deep.equal({
      progressThread: { platform: 'teams', channel: 'a:conv-1', thread: 'act-patch', serviceUrl: h.serviceUrl, tenantId: TENANT },
    });
  });

  it('refuses a patch request from someone without the operator role, naming the setting', async () => {
    await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre patch web-1', aad: BYSTANDER_AAD })), {});
    await h.deferred.idle();

    expect(cardText(h.sent()[0]!)).to.include('Not allowed').and.include('SRE_OPS_TEAMS_REQUESTERS');
  });

  it('ignores messages from another tenant when the bot is bound to one', async () => {
    await h.close();
    h = await teamsHarness({ env: () => ({ MicrosoftAppTenantId: TENANT }) });

    const res = await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre help', tenant: '99999999-9999-4999-8999-999999999999' })), {});

    expect(res?.statusCode).to.equal(200);
    expect(h.sent()).to.have.length(0);
    expect(h.deferred.pending).to.have.length(0);
    expect(h.logs.join('\n')).to.include('ignored a message from tenant 99999999');
  });

  it('answers 400 to a body that is not an activity', async () => {
    const res = await h.handler(teamsEvent('{oops'), {});
    expect(res?.statusCode).to.equal(400);
  });

  describe('with an app id configured (Bot Framework authentication, OpenID metadata on loopback)', () => {
    const APP_ID = '11111111-2222-4333-8444-555555555555';
    const key = signingKey('test-key-1');
    const stranger = signingKey('test-key-1');
    let jobs: DeferredJob[];

    beforeEach(async () => {
      await h.close();
      jobs = [];
      h = await teamsHarness({
        deferred: { defer: async (job) => void jobs.push(job) },
        route: (req) => {
          if (req.path === '/openid/.well-known/openidconfiguration') return { json: { issuer: 'https://api.botframework.com', jwks_uri: `http://${req.headers.host}/openid/keys`, id_token_signing_alg_values_supported: ['RS256'] } };
          if (req.path === '/openid/keys') return { json: { keys: [key.jwk] } };
          return undefined;
        },
        env: (url) => ({
          MicrosoftAppId: APP_ID,
          MicrosoftAppPassword: 'not-a-real-password',
          MicrosoftAppType: 'MultiTenant',
          ToBotFromChannelOpenIdMetadataUrl: `${url}/openid/.well-known/openidconfiguration`,
          ToBotFromEmulatorOpenIdMetadataUrl: `${url}/emulator/.well-known/openidconfiguration`,
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          ToChannelFromBotLoginUrl: `${url}/login/botframework.com`,
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          OAuthUrl: `${url}/oauth`,
          CallerId: 'urn:botframework:azure',
          ValidateAuthority: 'true',
        }),
      });
    });

    it('refuses a request without a token, and one signed by another key, with 401', async () => {
      const body = activity({ serviceUrl: h.serviceUrl, text: 'sre plan' });
      // botbuilder prints the keys it tried on a bad signature; the test needs no such noise.
      const quiet = sinon.stub(console, 'error');
      let results: (HttpResult | undefined)[];
      try {
        results = [
          await h.handler(teamsEvent(body), {}),
          await h.handler(teamsEvent(body, { authorization: `Bearer ${channelToken(stranger.privateKey, 'test-key-1', { aud: APP_ID, serviceurl: h.serviceUrl })}` }), {}),
          await h.handler(teamsEvent(body, { authorization: `Bearer ${channelToken(key.privateKey, 'test-key-1', { aud: 'another-app', serviceurl: h.serviceUrl })}` }), {}),
          await h.handler(teamsEvent(body, { authorization: `Bearer ${channelToken(key.privateKey, 'test-key-1', { aud: APP_ID, serviceurl: 'https://evil.example/' })}` }), {}),
        ];
      } finally {
        quiet.restore();
      }

      expect(results.map((r) => r?.statusCode)).to.deep.equal([401, 401, 401, 401]);
      expect(h.logs.filter((l) => l.includes('(401)'))).to.have.length(4);
      expect(jobs).to.have.length(0);
      expect(h.sent()).to.have.length(0);
    });

    it('accepts a token signed by the published key for this app', async () => {
      const token = channelToken(key.privateKey, 'test-key-1', { aud: APP_ID, serviceurl: h.serviceUrl });
      const res = await h.handler(teamsEvent(activity({ serviceUrl: h.serviceUrl, text: 'sre plan' }), { authorization: `Bearer ${token}`, shape: 'v2' }), {});

      expect(res?.statusCode).to.equal(200);
      expect(jobs.map((j) => j.kind)).to.deep.equal(['teams.command']);
      expect(h.connector.to('/login')).to.have.length(0);
    });
  });
});
