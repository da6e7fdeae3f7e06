/**
 * The autopilot's approval request in Slack carries the bot's Approve / Reject buttons, and a
 * click on them goes through the Slack bot's Lambda handler like a click on any run's request:
 * Slack's signature verified, the clicker's roles checked, the decision recorded on the run and
 * audited. Real HTTP on loopback: the service's poster (as composed from its environment) talks
 * to a Slack Web API stand-in, the clicks are signed API Gateway events to the bot's handler, and
 * both sides share one state store (as the service and the bots share the state table).
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessDeferredWork } from '../../../adapters/outbound/memory/in-process-deferred-work.js';
import { progressPosterFromEnv } from '../../../composition/progress-posters.js';
import { createSlackLambdaHandler, type LambdaHandler } from '../../../composition/slack-lambda.js';
import { AUTOPILOT_ACTOR_ID, DEFAULT_POLICY, resolvePolicy } from '../../../domain/policy.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { RunAutopilot } from '../../../ports/use-cases/patching/autopilot.use-case.js';
import { startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { busyWeekWith, cpuWeeks, slot } from '../../unit/domain/patch/plan-builders.js';
import { harness, IDS, NOW, type Harness } from '../../unit/ports/use-cases/patching/harness.js';
import { buttonClick, BOT_TOKEN, SIGNING_SECRET } from '../slack/slack-events.js';
import { textsOf } from '../slack/slack-harness.js';

const HOUR = 3_600_000;
const APPROVER = 'U0APPROVE';
const BYSTANDER = 'U0BYSTAND';
const REQUEST_TS = '1700000000.000100';

interface Button { readonly action_id: string; readonly value: string; readonly confirm?: unknown }

describe('autopilot approval requests in Slack carry the bot\'s Approve / Reject buttons (Slack stand-in, the bot\'s Lambda handler)', function () {
  this.timeout(20_000);
  let slack: CaptureServer;
  let h: Harness;
  let autopilot: RunAutopilot;
  let bot: LambdaHandler;
  let deferred: InProcessDeferredWork;

  beforeEach(async () => {
    slack = await startCaptureServer((req) => {
      if (req.path === '/api/chat.postMessage') return { json: { ok: true, channel: req.body.channel, ts: req.body.thread_ts ? '1700000000.000900' : REQUEST_TS } };
      if (req.path === '/api/chat.update') return { json: { ok: true, channel: req.body.channel, ts: req.body.ts } };
      if (req.path.startsWith('/hooks/')) return { text: 'ok' };
      return { status: 404, json: { ok: false, error: 'unknown_method' } };
    });
    const policy = resolvePolicy({ autopilot: { enabled: true, approvalLeadTimeHours: 4, approvalDeadlineMinutes: 30, chat: { platform: 'slack', channel: 'C-OPS' } } }, DEFAULT_POLICY);
    h = harness({ world: { policy } });
    h.metrics[IDS.stg] = { cpu: cpuWeeks(NOW, 14, busyWeekWith({ [slot(3, 6)]: 2, [slot(3, 7)]: 2, [slot(3, 8)]: 2 })) };
    // The service's poster, as the service composes it from its environment.
    const poster = progressPosterFromEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SRE_OPS_SLACK_API_URL: `${slack.url}/api` });
    autopilot = new RunAutopilot({ ...h.deps(), progressPoster: poster }, 'task-a');
    // The bot's use cases over the service's store (the shared state table in a deployment).
    const assistant = { policy, ...h.ops } as unknown as Assistant;
    deferred = new InProcessDeferredWork();
    bot = createSlackLambdaHandler({
      log: () => {},
      env: {
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: `${slack.url}/api/`,
        SRE_OPS_SLACK_APPROVERS: APPROVER,
        SRE_OPS_EXECUTOR_DEPLOYED: '1',
        XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'sre-ops-autopilot-slack-')),
      },
      assistant: async () => assistant,
      deferred,
    });
  });
  afterEach(() => slack.close());

  async function requestPosted(): Promise<{ runId: string; buttons: Button[] }> {
    h.clock.t = NOW + 2 * HOUR;
    const made = await autopilot.tick();
    expect(made.created).to.have.length(1);
    const [posted] = slack.to('/api/chat.postMessage');
    expect(posted!.headers.authorization).to.equal(`Bearer ${BOT_TOKEN}`);
    expect(posted!.body).to.include({ channel: 'C-OPS' });
    expect(posted!.body).to.not.have.property('thread_ts');
    const blocks = posted!.body.blocks as { type: string; elements?: Button[] }[];
    const buttons = blocks.find((b) => b.type === 'actions')?.elements ?? [];
    return { runId: made.created[0]!, buttons };
  }

  it('posts the request with the bot\'s buttons, and records the request as the run\'s thread', async () => {
    const { runId, buttons } = await requestPosted();

    expect(buttons.map((b) => [b.action_id, b.value])).to.deep.equal([['sre_approve', runId], ['sre_reject', runId]]);
    expect(buttons[0]!.confirm, 'Approve asks to confirm, as on a run\'s own request').to.not.equal(undefined);
    expect(slack.to('/api/chat.postMessage')[0]!.body.text, 'the notification is the request').to.match(new RegExp(`^Autopilot made run ${runId}: web-staging-1`));
    const texts = textsOf(slack.to('/api/chat.postMessage')[0]!.body.blocks).map((t) => t.text).join('\n');
    expect(texts).to.include(`Autopilot: run ${runId} needs approval`).and.include('web-staging-1').and.include('Approval needed by 2026-11-11T06:30:00.000Z');

    const run = await h.store.getRun(runId);
    expect(run?.progressThread).to.deep.equal({ platform: 'slack', channel: 'C-OPS', thread: REQUEST_TS });
    const threaded = h.store.audit.filter((e) => e.action === 'patch-run.thread' && e.target === runId);
    expect(threaded.map((e) => [e.actor, e.via, e.result])).to.deep.equal([[AUTOPILOT_ACTOR_ID, 'autopilot', 'ok']]);
  });

  it('a click with a wrong signature is refused (401); someone without the approver role is refused and the denial audited; an approver\'s click approves the run, audited, and the request message shows it', async () => {
    const { runId } = await requestPosted();
    const click = (user: string, n: number, o: { secret?: string } = {}) =>
      bot(buttonClick({ user, userName: user === APPROVER ? 'bob' : 'eve', runId, action: 'approve', channel: 'C-OPS', messageTs: REQUEST_TS, responseUrl: `${slack.url}/hooks/actions/${n}`, ...o }), {});

    // 1. Signed with another secret: refused before anything runs.
    const forged = await click(APPROVER, 1, { secret: 'another-secret' });
    expect(forged?.statusCode).to.equal(401);
    await deferred.idle();
    expect((await h.store.getRun(runId))?.status).to.equal('requested');
    expect(h.store.audit.filter((e) => e.action === 'patch-run.approve')).to.have.length(0);

    // 2. A viewer (in no approvers' list): refused in an ephemeral reply, the denial audited.
    expect((await click(BYSTANDER, 2))?.statusCode).to.equal(200);
    await deferred.idle();
    const refusal = slack.to('/hooks/actions/2')[0]!;
    expect(refusal.body).to.include({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(refusal.body)).to.match(/approve/i);
    expect((await h.store.getRun(runId))?.status).to.equal('requested');
    expect(h.store.audit.filter((e) => e.action === 'patch-run.approve').map((e) => [e.actor, e.via, e.result])).to.deep.equal([[`slack:${BYSTANDER}`, 'slack', 'denied']]);

    // 3. An approver: approved, recorded on the run and audited; the request message becomes the run's state.
    expect((await click(APPROVER, 3))?.statusCode).to.equal(200);
    await deferred.idle();
    const run = await h.store.getRun(runId);
    expect(run?.status).to.equal('approved');
    expect(run?.approvals.map((a) => [a.by, a.decision, a.comment])).to.deep.equal([[`slack:${APPROVER}`, 'approved', 'approved in Slack by bob']]);
    expect(h.store.audit.filter((e) => e.action === 'patch-run.approve').map((e) => [e.actor, e.via, e.result])).to.deep.equal([[`slack:${BYSTANDER}`, 'slack', 'denied'], [`slack:${APPROVER}`, 'slack', 'ok']]);
    const [update] = slack.to('/api/chat.update');
    expect(update!.body).to.include({ channel: 'C-OPS', ts: REQUEST_TS });
    const shown = textsOf(update!.body.blocks).map((t) => t.text).join('\n');
    expect(shown).to.include('approved by bob').and.include(`service's executor drives run ${runId}`);
    expect(JSON.stringify(update!.body.blocks)).to.not.include('sre_approve');

    // 4. The autopilot's next look leaves the person's approval alone: no standing approval, no miss.
    h.clock.t = NOW + 5 * HOUR;
    const later = await autopilot.tick();
    expect(later).to.deep.equal({ created: [], approved: [], missed: [] });
  });

  it('a bot deployed without SRE_OPS_EXECUTOR_DEPLOYED does not execute an approved autopilot run either: the executor starts it within its window', async () => {
    const { runId } = await requestPosted();
    const assistant = { policy: h.core.policy, ...h.ops } as unknown as Assistant;
    const alone = createSlackLambdaHandler({
      log: () => {},
      env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: `${slack.url}/api/`, SRE_OPS_SLACK_APPROVERS: APPROVER, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'sre-ops-autopilot-slack-')) },
      assistant: async () => assistant,
      deferred,
    });
    await alone(buttonClick({ user: APPROVER, userName: 'bob', runId, action: 'approve', channel: 'C-OPS', messageTs: REQUEST_TS, responseUrl: `${slack.url}/hooks/actions/1` }), {});
    await deferred.idle();

    const run = await h.store.getRun(runId);
    expect(run?.status).to.equal('approved');
    expect(run?.waves.every((w) => w.sends.length === 0 && w.startedAt === null)).to.equal(true);
    expect(h.runner.sent, 'no command sent').to.have.length(0);
    const updates = slack.to('/api/chat.update');
    expect(updates).to.have.length(1);
    expect(textsOf(updates[0]!.body.blocks).map((t) => t.text).join('\n')).to.include(`service's executor drives run ${runId} from here within its window 2026-11-11T06:00:00.000Z to 2026-11-11T09:00:00.000Z`);
  });

  it('a Reject click rejects the autopilot\'s run (audited); the window is then not approved by anyone', async () => {
    const { runId } = await requestPosted();
    await bot(buttonClick({ user: APPROVER, userName: 'bob', runId, action: 'reject', channel: 'C-OPS', messageTs: REQUEST_TS, responseUrl: `${slack.url}/hooks/actions/1` }), {});
    await deferred.idle();

    expect((await h.store.getRun(runId))?.status).to.equal('rejected');
    expect(h.store.audit.filter((e) => e.action === 'patch-run.reject').map((e) => [e.actor, e.result])).to.deep.equal([[`slack:${APPROVER}`, 'ok']]);
  });
});
