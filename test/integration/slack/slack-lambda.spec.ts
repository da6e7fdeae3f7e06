import { expect } from 'chai';
import type { HttpResult } from '../../../adapters/inbound/chat/api-gateway-event.js';
import { SourceError } from '../../../domain/errors.js';
import { APPROVER, BYSTANDER, REQUESTER, slackHarness, textsOf, type Harness } from './slack-harness.js';
import { apiGatewayEvent, buttonClick, slashCommand, type Shape } from './slack-events.js';

function json(r: HttpResult | undefined): Record<string, unknown> {
  expect(r, 'a response').to.not.equal(undefined);
  return JSON.parse((r as HttpResult).body) as Record<string, unknown>;
}

function allText(body: Record<string, unknown>): string {
  return [String(body.text ?? ''), ...textsOf(body.blocks).map((t) => t.text)].join('\n');
}

describe('Slack Lambda handler (API Gateway events, signed requests, loopback Slack)', function () {
  this.timeout(20_000);
  let h: Harness;
  beforeEach(async () => (h = await slackHarness()));
  afterEach(() => h.close());

  for (const shape of ['v1', 'v2'] as Shape[]) {
    describe(`${shape === 'v1' ? 'REST API (v1)' : 'HTTP API (v2, base64 body)'} events`, () => {
      const base64 = shape === 'v2';

      it('answers /sre help in the acknowledgement itself, with nothing deferred', async () => {
        const res = await h.handler(slashCommand('help', { responseUrl: h.responseUrl, shape, base64 }), {});

        expect(res?.statusCode).to.equal(200);
        const body = json(res);
        expect(body.response_type).to.equal('ephemeral');
        expect(allText(body)).to.include('/sre assess [INSTANCE]').and.include('/sre accept CVE INSTANCE|fleet DAYS REASON [--force]');
        expect(h.deferred.pending).to.have.length(0);
        await h.deferred.idle();
        expect(h.slack.requests).to.have.length(0);
      });

      it('refuses a bad signature, a stale timestamp, another secret and a missing signature with 401', async () => {
        const stale = Math.floor(Date.now() / 1000) - 6 * 60;
        const cases = [
          slashCommand('help', { responseUrl: h.responseUrl, shape, base64, signature: 'v0=' + '0'.repeat(64) }),
          slashCommand('help', { responseUrl: h.responseUrl, shape, base64, timestamp: stale }),
          slashCommand('help', { responseUrl: h.responseUrl, shape, base64, secret: 'another-secret' }),
          slashCommand('assess', { responseUrl: h.responseUrl, shape, base64, signature: '' }),
        ];
        for (const event of cases) {
          const res = await h.handler(event, {});
          expect(res?.statusCode).to.equal(401);
        }
        expect(h.deferred.pending).to.have.length(0);
        expect(h.spy.calls).to.have.length(0);
      });
    });
  }

  it('acknowledges before the slow work, which then posts its answer to the response_url', async () => {
    const res = await h.handler(slashCommand('assess', { responseUrl: h.responseUrl, shape: 'v2', base64: true }), {});
    const answeredAt = Date.now();

    expect(res?.statusCode).to.equal(200);
    expect(json(res).text).to.match(/Working on `\/sre assess`/);
    expect(h.spy.calls.filter((c) => c.method === 'assessFleet'), 'no assessment before the acknowledgement').to.have.length(0);
    expect(h.responses()).to.have.length(0);

    await h.deferred.idle();
    const [post] = h.responses();
    expect(post, 'a post to the response_url').to.not.equal(undefined);
    expect(post!.at).to.be.at.least(answeredAt);
    expect(h.spy.calls.find((c) => c.method === 'assessFleet')!.at).to.be.at.least(answeredAt);
    expect(post!.body.response_type).to.equal('ephemeral');
    expect(allText(post!.body)).to.include('Fleet risk').and.include('bastion').and.include('patch-now');
  });

  it('names close matches for an unknown instance', async () => {
    await h.handler(slashCommand('assess web-9', { responseUrl: h.responseUrl }), {});
    await h.deferred.idle();

    const text = allText(h.responses()[0]!.body);
    expect(text).to.include('No instance "web-9"').and.match(/did you mean .*web-/);
    expect(text).to.not.match(/\bat .*\.(js|ts):\d+/);
  });

  it('says which service failed when a source is down, and never posts a stack trace', async () => {
    await h.close();
    h = await slackHarness({
      assistant: (a) => Object.assign(Object.create(a) as object, {
        assessFleet: async () => { throw new SourceError('inspector2', 'ListFindings', 'inspector2 ListFindings: ServiceUnavailable', { code: 'ServiceUnavailable' }); },
        planPatches: async () => { throw new TypeError('cannot read properties of undefined'); },
      }) as unknown as typeof a,
    });

    await h.handler(slashCommand('assess', { responseUrl: h.responseUrl }), {});
    await h.handler(slashCommand('plan', { responseUrl: h.responseUrl }), {});
    await h.deferred.idle();

    const [outage, bug] = h.responses().map((r) => allText(r.body));
    expect(outage).to.include('Amazon Inspector did not answer').and.include('ListFindings');
    expect(bug).to.include('Something went wrong on our side').and.match(/reference [0-9a-f]{8}/);
    expect(bug).to.not.include('TypeError').and.not.include('at ');
  });

  it('maps the legacy commands to subcommands and says so', async () => {
    const res = await h.handler(slashCommand('web-1', { command: '/vuln-check', responseUrl: h.responseUrl }), {});
    expect(json(res).text).to.include('Working on `/sre assess web-1`').and.include('`/vuln-check` is `/sre assess` now');
    const report = await h.handler(slashCommand('everything please', { command: '/report', responseUrl: h.responseUrl }), {});
    expect(json(report).text).to.include('"everything please" was ignored');
    await h.deferred.idle();

    // The two deferred jobs run at once: their answers arrive in either order.
    const texts = h.responses().map((r) => allText(r.body));
    expect(texts).to.have.length(2);
    expect(texts.filter((t) => /^web-1 \(i-[0-9a-f]+\)/.test(t)), 'the answer to /vuln-check web-1').to.have.length(1);
    expect(texts.filter((t) => t.startsWith('Fleet risk')), 'the answer to /report').to.have.length(1);
  });

  it('answers a usage error in the acknowledgement', async () => {
    const res = await h.handler(slashCommand('metrics', { responseUrl: h.responseUrl }), {});

    const text = allText(json(res));
    expect(text).to.include('metrics: missing INSTANCE').and.include('metrics INSTANCE [--hours N]');
    expect(h.deferred.pending).to.have.length(0);
  });

  it('keeps a big answer within Block Kit limits and says what was cut', async () => {
    await h.handler(slashCommand('findings legacy-reports', { responseUrl: h.responseUrl }), {});
    await h.deferred.idle();

    const body = h.responses()[0]!.body;
    const blocks = body.blocks as { type: string; text?: { text: string }; fields?: unknown[]; elements?: unknown[] }[];
    expect(blocks.length).to.be.within(2, 50);
    for (const t of textsOf(blocks)) expect(t.text.length, t.kind).to.be.at.most(3000);
    expect(blocks.filter((b) => b.type === 'header').every((b) => (b.text?.text.length ?? 0) <= 150)).to.equal(true);
    expect(blocks.every((b) => (b.fields?.length ?? 0) <= 10 && (b.elements?.length ?? 0) <= 10)).to.equal(true);
    expect(allText(body)).to.match(/13 more findings not shown \(40 of 53\)/);
  });

  it('reads a non-ASCII body the HTTP API sent base64-encoded (the signature covers UTF-8 bytes)', async () => {
    const res = await h.handler(slashCommand('accept CVE-2024-1086 web-1 30 pas de redémarrage avant lundi', { responseUrl: h.responseUrl, shape: 'v2', base64: true, user: APPROVER, userName: 'bob' }), {});
    expect(res?.statusCode).to.equal(200);
    await h.deferred.idle();

    const [call] = h.ops.called('acceptRisk');
    expect(call!.args[0]).to.include({ vulnerabilityId: 'CVE-2024-1086', instance: 'web-1', reason: 'pas de redémarrage avant lundi' });
    expect(call!.actor).to.deep.include({ id: `slack:${APPROVER}`, via: 'slack' });
    expect(call!.actor.roles).to.include('approver');
    expect(allText(h.responses()[0]!.body)).to.include('Risk accepted: CVE-2024-1086');
  });

  it('passes accept --force through as force: true (an id no finding is known by now), and no force without it', async () => {
    await h.handler(slashCommand('accept ALAS-2025-2879 fleet 30 vendor fix pending --force', { responseUrl: h.responseUrl, user: APPROVER, userName: 'bob' }), {});
    await h.handler(slashCommand('accept CVE-2024-1086 web-1 30 WAF rule', { responseUrl: h.responseUrl, user: APPROVER, userName: 'bob' }), {});
    await h.deferred.idle();

    const calls = h.ops.called('acceptRisk').map((c) => c.args[0] as Record<string, unknown>);
    const forced = calls.find((c) => c.vulnerabilityId === 'ALAS-2025-2879');
    const plain = calls.find((c) => c.vulnerabilityId === 'CVE-2024-1086');
    expect(forced).to.include({ instance: null, reason: 'vendor fix pending', force: true });
    expect(plain).to.not.have.property('force');
  });

  it('refuses a patch request from someone without the operator role, saying which permission and where roles come from', async () => {
    await h.handler(slashCommand('patch web-1', { responseUrl: h.responseUrl, user: BYSTANDER }), {});
    await h.deferred.idle();

    const text = allText(h.responses()[0]!.body);
    expect(text).to.include('Not allowed').and.include('request a patch run').and.include('SRE_OPS_SLACK_REQUESTERS');
    expect(h.slack.to('/api/chat.postMessage')).to.have.length(0);
  });

  it('runs the approval round trip: request, self-approval refused, a colleague approves, the run executes', async () => {
    // 1. The requester asks for a run: an approval message with buttons goes to the channel.
    const ack = await h.handler(slashCommand('patch web-1 web-2', { responseUrl: h.responseUrl, user: REQUESTER, userName: 'alice' }), {});
    expect(json(ack).text).to.include('Working on');
    await h.deferred.idle();

    const [posted] = h.slack.to('/api/chat.postMessage');
    expect(posted!.headers.authorization).to.equal('Bearer xoxb-test-token');
    expect(posted!.body.channel).to.equal('C0001');
    const blocks = posted!.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => b.action_id)).to.deep.equal(['sre_approve', 'sre_reject']);
    const runId = buttons[0]!.value;
    expect(runId).to.equal('run-1');
    expect(allText(posted!.body)).to.include('needs approval').and.include(`<@${REQUESTER}>`).and.include('<!subteam^S0APPROVE>');
    expect(h.ops.called('requestPatchRun')[0]!.args[0]).to.deep.include({ instances: ['web-1', 'web-2'], dryRun: false, reboot: 'if-needed' });
    // The channel it was requested in: the service's executor posts the run's progress there.
    expect(h.ops.called('requestPatchRun')[0]!.args[1]).to.deep.equal({ progressThread: { platform: 'slack', channel: 'C0001', thread: null } });

    // 2. The requester clicks Approve: refused, nothing approved, the message untouched.
    const clickUrl = `${h.slack.url}/hooks/actions/1`;
    const own = await h.handler(buttonClick({ user: REQUESTER, runId, action: 'approve', responseUrl: clickUrl, shape: 'v2', base64: true }), {});
    expect(own?.statusCode).to.equal(200);
    await h.deferred.idle();
    const refusal = h.slack.to('/hooks/actions/1')[0]!;
    expect(allText(refusal.body)).to.include('You cannot approve your own run');
    expect(refusal.body).to.include({ response_type: 'ephemeral', replace_original: false });
    expect(h.ops.called('approvePatchRun')).to.have.length(0);
    expect(h.slack.to('/api/chat.update')).to.have.length(0);

    // 3. A colleague in the approvers' user group approves: the message updates, the run executes.
    const other = await h.handler(buttonClick({ user: APPROVER, userName: 'bob', runId, action: 'approve', responseUrl: `${h.slack.url}/hooks/actions/2` }), {});
    expect(other?.statusCode).to.equal(200);
    await h.deferred.idle();

    const [approve] = h.ops.called('approvePatchRun');
    expect(approve!.actor).to.deep.include({ id: `slack:${APPROVER}` });
    const [execute] = h.ops.called('executePatchRun');
    expect(execute!.actor.id, 'the run executes as its requester').to.equal(`slack:${REQUESTER}`);
    const updates = h.slack.to('/api/chat.update');
    expect(updates.length).to.be.at.least(2);
    expect(updates.every((u) => u.body.ts === '1700000000.000100' && u.body.channel === 'C0001')).to.equal(true);
    expect(allText(updates[0]!.body)).to.include('approved by bob');
    expect(JSON.stringify(updates[0]!.body.blocks)).to.not.include('sre_approve');
    expect(allText(updates.at(-1)!.body)).to.include('succeeded');
    const thread = h.slack.to('/api/chat.postMessage').find((r) => r.body.thread_ts === '1700000000.000100');
    expect(thread!.body.text).to.include('Patch run run-1 succeeded');
    expect(h.slack.to('/api/usergroups.users.list')).to.have.length(1);
  });

  it('with the service\'s executor deployed, an approval only changes state: nothing executes here, the message says who drives the run and how to follow it', async () => {
    await h.close();
    h = await slackHarness({ env: { SRE_OPS_EXECUTOR_DEPLOYED: '1' } });
    await h.handler(slashCommand('patch web-1 web-2', { responseUrl: h.responseUrl, user: REQUESTER, userName: 'alice' }), {});
    await h.deferred.idle();
    await h.handler(buttonClick({ user: APPROVER, userName: 'bob', runId: 'run-1', action: 'approve', responseUrl: `${h.slack.url}/hooks/actions/2` }), {});
    await h.deferred.idle();

    expect(h.ops.called('approvePatchRun')).to.have.length(1);
    expect(h.ops.called('executePatchRun'), 'no command is sent from the Lambda').to.have.length(0);
    const run = await h.ops.getPatchRun(h.ops.called('approvePatchRun')[0]!.actor, 'run-1');
    expect(run.status, 'left approved for the executor').to.equal('approved');
    expect(run.waves.every((w) => w.commandId === null && w.sentAt === null)).to.equal(true);
    const updates = h.slack.to('/api/chat.update');
    expect(updates).to.have.length(1);
    const text = allText(updates[0]!.body);
    expect(text).to.include('approved by bob').and.include("service's executor drives run run-1")
      .and.include('/sre run run-1').and.include('/console/runs/run-1').and.include('GET /v1/patch-runs/run-1');
    expect(h.slack.to('/api/chat.postMessage').filter((r) => r.body.thread_ts)).to.have.length(0);
  });

  it('with the service\'s executor deployed, a run that needs no approval is not executed here either: the message says who drives it', async () => {
    await h.close();
    h = await slackHarness({ env: { SRE_OPS_EXECUTOR_DEPLOYED: '1' }, needsApproval: false });
    await h.handler(slashCommand('patch dev-1', { responseUrl: h.responseUrl, user: REQUESTER, userName: 'alice' }), {});
    await h.deferred.idle();

    expect(h.ops.called('executePatchRun'), 'no command is sent from the Lambda').to.have.length(0);
    const run = await h.ops.getPatchRun(h.ops.called('requestPatchRun')[0]!.actor, 'run-1');
    expect(run.waves.every((w) => w.status === 'pending' && w.commandId === null)).to.equal(true);
    const [posted] = h.slack.to('/api/chat.postMessage');
    expect(allText(posted!.body)).to.include("service's executor drives run run-1").and.include('/sre run run-1');
    expect(h.slack.to('/api/chat.update'), 'no progress from here').to.have.length(0);
  });

  it('records the run\'s message as the thread its progress goes to (channel and ts), as the requester', async () => {
    await h.handler(slashCommand('patch web-1', { responseUrl: h.responseUrl, user: REQUESTER, userName: 'alice' }), {});
    await h.deferred.idle();

    const [posted] = h.slack.to('/api/chat.postMessage');
    expect(posted!.body.channel).to.equal('C0001');
    const [thread] = h.ops.called('threadPatchRun');
    expect(thread!.actor.id).to.equal(`slack:${REQUESTER}`);
    expect(thread!.args).to.deep.equal(['run-1', { platform: 'slack', channel: 'C0001', thread: '1700000000.000100' }]);
  });

  it('refuses an SRE_OPS_EXECUTOR_DEPLOYED that is neither 1 nor 0, naming it', async () => {
    await h.close();
    h = await slackHarness({ env: { SRE_OPS_EXECUTOR_DEPLOYED: 'yes' } });
    await h.handler(slashCommand('patch web-1', { responseUrl: h.responseUrl, user: REQUESTER }), {});
    await h.deferred.idle();
    expect(h.logs.join('\n')).to.include('SRE_OPS_EXECUTOR_DEPLOYED: expected 1 or 0, got "yes"');
  });

  it('a rejected run is not executed', async () => {
    await h.handler(slashCommand('patch web-1', { responseUrl: h.responseUrl, user: REQUESTER }), {});
    await h.deferred.idle();
    await h.handler(buttonClick({ user: APPROVER, runId: 'run-1', action: 'reject', responseUrl: `${h.slack.url}/hooks/actions/3` }), {});
    await h.deferred.idle();

    expect(h.ops.called('rejectPatchRun')).to.have.length(1);
    expect(h.ops.called('executePatchRun')).to.have.length(0);
    expect(allText(h.slack.to('/api/chat.update')[0]!.body)).to.include('rejected');
  });

  it('answers 400 to a body it cannot read, and 200 to Slack\'s ssl_check', async () => {
    const garbage = await h.handler(apiGatewayEvent('{not json', 'text/plain'), {});
    const ssl = await h.handler(apiGatewayEvent('ssl_check=1&token=x', 'application/x-www-form-urlencoded'), {});

    expect(garbage?.statusCode).to.equal(400);
    expect(ssl?.statusCode).to.equal(200);
  });
});
