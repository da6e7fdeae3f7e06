import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackProgressPoster } from '../../../adapters/outbound/chat/slack-progress-poster.js';
import { TeamsProgressPoster } from '../../../adapters/outbound/notify/teams-progress-poster.js';
import { progressPosterFromEnv } from '../../../composition/progress-posters.js';
import { ValidationError } from '../../../domain/errors.js';
import { ALICE, BOB } from '../../patch-builders.js';
import { SourceError } from '../../../domain/errors.js';
import { ExecutePatchRun } from '../../../ports/use-cases/patching/execute-patch-run.use-case.js';
import { createPatchOperations as createPatchOps } from '../../../ports/use-cases/patching/patch-operations.facade.js';
import { RunPatchExecutor } from '../../../ports/use-cases/patching/patch-executor.use-case.js';
import { harness } from '../../unit/ports/use-cases/patching/harness.js';

interface Posted {
  readonly auth: string | undefined;
  readonly body: { channel: string; thread_ts?: string; text: string };
}

/** A stand-in for Slack's Web API on loopback: records chat.postMessage calls, answers as Slack does. */
async function slackStandIn(answer: (p: Posted) => object = () => ({ ok: true, ts: '1.2' })): Promise<{ url: string; posted: Posted[]; server: Server }> {
  const posted: Posted[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (d: string) => (raw += d)).on('end', () => {
      const p = { auth: req.headers.authorization, body: JSON.parse(raw) as Posted['body'] };
      if (req.url === '/api/chat.postMessage') posted.push(p);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer(p)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, posted, server };
}

interface Activity {
  readonly method: string;
  readonly path: string;
  readonly auth: string | undefined;
  readonly body: { type: string; text: string; replyToId?: string; conversation?: { id: string; tenantId?: string } };
}

/**
 * A stand-in for the Bot Framework on loopback (real HTTP): the token endpoint (client
 * credentials) and a conversation's Bot Connector, which records the activities it is sent.
 */
async function botConnectorStandIn(): Promise<{ url: string; activities: Activity[]; tokenRequests: URLSearchParams[]; server: Server }> {
  const activities: Activity[] = [];
  const tokenRequests: URLSearchParams[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (d: string) => (raw += d)).on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/token') {
        tokenRequests.push(new URLSearchParams(raw));
        res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3600, access_token: 'bf-token-1' }));
        return;
      }
      if (req.method === 'POST' && req.url?.startsWith('/teams/v3/conversations/')) {
        activities.push({ method: req.method, path: req.url, auth: req.headers.authorization, body: JSON.parse(raw) as Activity['body'] });
        res.end(JSON.stringify({ id: `bot-msg-${++n}` }));
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, activities, tokenRequests, server };
}

describe('run progress in the chat thread where the run was requested (Slack and Bot Framework stand-ins on loopback)', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('the executor posts the run\'s waves and its final report (each instance, its evidence) into the thread, in order', async () => {
    const slack = await slackStandIn();
    server = slack.server;
    const h = harness();
    const d = { ...h.deps(), progressPoster: new SlackProgressPoster({ token: 'xoxb-test-token', baseUrl: slack.url }) };
    const r0 = await createPatchOps(d).requestPatchRun(ALICE, { instances: ['web-staging-1', 'dev-1'] }, { progressThread: { platform: 'slack', channel: 'C0123', thread: '1700000000.000100' } });
    const ex = new RunPatchExecutor(d, new ExecutePatchRun(d), { holder: 'task-a' });

    await ex.tick();
    await ex.idle();
    // The posts are chained behind the run; the last one follows the run's end.
    while (!slack.posted.some((p) => p.body.text.startsWith(`${r0.id} succeeded`))) await new Promise((resolve) => setImmediate(resolve));

    expect(new Set(slack.posted.map((p) => `${p.body.channel} ${p.body.thread_ts} ${p.auth}`))).to.deep.equal(new Set(['C0123 1700000000.000100 Bearer xoxb-test-token']));
    const texts = slack.posted.map((p) => p.body.text);
    expect(texts[0]).to.equal(`${r0.id}: starting run ${r0.id} at wave 1 of 2`);
    expect(texts.filter((t) => /: wave \d succeeded$/.test(t))).to.deep.equal([`${r0.id}: wave 1 succeeded`, `${r0.id}: wave 2 succeeded`]);
    const final = texts.at(-1) ?? '';
    expect(final.split('\n')[0]).to.equal(`${r0.id} succeeded`);
    expect(final).to.match(/wave 1: dev-1 \(i-\w+\) succeeded: /);
    expect(final).to.match(/wave 2: web-staging-1 \(i-\w+\) succeeded: /);
    // Under each instance, the evidence its result rests on: the command and its outcome, the patch compliance read after it.
    const report = await createPatchOps(d).getPatchRun(ALICE, r0.id);
    for (const i of report.waves.flatMap((w) => w.instances)) {
      const cmd = report.waves.find((w) => w.instances.includes(i))?.commandId;
      expect(i.evidence?.[0]).to.equal(`command ${cmd}: Success`);
      expect(i.evidence?.[1]).to.match(/^patch compliance\b/);
      for (const e of i.evidence ?? []) expect(final.split('\n')).to.include(`  · ${e}`);
    }
  });

  it('a run not requested in chat posts nothing; a refusal by Slack is a SourceError naming its code, never the token', async () => {
    const slack = await slackStandIn(() => ({ ok: false, error: 'channel_not_found' }));
    server = slack.server;
    const poster = new SlackProgressPoster({ token: 'xoxb-secret', baseUrl: slack.url });

    const err = await poster.post({ platform: 'slack', channel: 'C9', thread: null }, 'x').catch((e: unknown) => e);

    expect(err).to.be.instanceOf(SourceError);
    expect((err as Error).message).to.equal('slack chat.postMessage to C9 failed (channel_not_found)');
    expect((err as Error).message).to.not.include('xoxb');
    expect(slack.posted[0]?.body).to.deep.equal({ channel: 'C9', text: 'x', unfurl_links: false });

    const h = harness();
    const d = { ...h.deps(), progressPoster: poster };
    await createPatchOps(d).requestPatchRun(ALICE, { instances: ['dev-1'] });
    const ex = new RunPatchExecutor(d, new ExecutePatchRun(d), { holder: 'task-a' });
    await ex.tick();
    await ex.idle();
    expect(slack.posted).to.have.length(1);
  });

  it('a Slack run whose thread was recorded after it was stored (the run\'s own message) gets its progress under that message', async () => {
    const slack = await slackStandIn();
    server = slack.server;
    const h = harness();
    const d = { ...h.deps(), progressPoster: progressPosterFromEnv({ SLACK_BOT_TOKEN: 'xoxb-test-token', SRE_OPS_SLACK_API_URL: slack.url }) };
    const ops = createPatchOps(d);
    const r0 = await ops.requestPatchRun(ALICE, { instances: ['dev-1'] }, { progressThread: { platform: 'slack', channel: 'C0123', thread: null } });
    // What the Slack bot does once it has posted the run's message: that message is the thread.
    await ops.threadPatchRun(ALICE, r0.id, { platform: 'slack', channel: 'C0123', thread: '1700000000.000200' });
    // Nobody else moves it, nor to another channel.
    expect(await ops.threadPatchRun(BOB, r0.id, { platform: 'slack', channel: 'C0123', thread: '1.1' }).catch((e: unknown) => e)).to.be.an('error');
    expect(String(await ops.threadPatchRun(ALICE, r0.id, { platform: 'slack', channel: 'C9999', thread: '1.1' }).catch((e: unknown) => e))).to.include('posts its progress to slack C0123, not slack C9999');

    const ex = new RunPatchExecutor(d, new ExecutePatchRun(d), { holder: 'task-a' });
    await ex.tick();
    await ex.idle();
    while (!slack.posted.some((p) => p.body.text.startsWith(`${r0.id} succeeded`))) await new Promise((resolve) => setImmediate(resolve));

    expect(new Set(slack.posted.map((p) => `${p.body.channel} ${p.body.thread_ts}`))).to.deep.equal(new Set(['C0123 1700000000.000200']));
  });

  it('a Teams run: the executor replies under the asking message through the conversation\'s Bot Connector, with a Bot Framework token', async () => {
    const bf = await botConnectorStandIn();
    server = bf.server;
    const h = harness();
    const errors: string[] = [];
    const d = {
      ...h.deps(),
      progressPoster: progressPosterFromEnv({ MicrosoftAppId: 'app-1', MicrosoftAppPassword: 'app-secret-1', MicrosoftAppTenantId: 'tenant-1', SRE_OPS_BOT_TOKEN_URL: `${bf.url}/token` }),
    };
    const thread = { platform: 'teams', channel: '19:abc@thread.tacv2;messageid=1700000000001', thread: 'act-patch', serviceUrl: `${bf.url}/teams/`, tenantId: 'tenant-1' };
    const r0 = await createPatchOps(d).requestPatchRun(ALICE, { instances: ['web-staging-1', 'dev-1'] }, { progressThread: thread });
    const ex = new RunPatchExecutor(d, new ExecutePatchRun(d), { holder: 'task-a', onError: (_id, err) => errors.push(String(err)) });

    await ex.tick();
    await ex.idle();
    while (!bf.activities.some((a) => a.body.text.startsWith(`${r0.id} succeeded`))) await new Promise((resolve) => setImmediate(resolve));

    expect(errors).to.deep.equal([]);
    expect(new Set(bf.activities.map((a) => `${a.path} ${a.auth} ${a.body.replyToId} ${a.body.conversation?.tenantId}`))).to.deep.equal(new Set([
      `/teams/v3/conversations/${encodeURIComponent(thread.channel)}/activities/act-patch Bearer bf-token-1 act-patch tenant-1`,
    ]));
    // One token for the whole run (kept until it expires), for this app, with the Bot Framework scope.
    expect(bf.tokenRequests).to.have.length(1);
    expect(Object.fromEntries(bf.tokenRequests[0]!)).to.deep.equal({ grant_type: 'client_credentials', client_id: 'app-1', client_secret: 'app-secret-1', scope: 'https://api.botframework.com/.default' });
    const texts = bf.activities.map((a) => a.body.text);
    expect(texts[0]).to.equal(`${r0.id}: starting run ${r0.id} at wave 1 of 2`);
    expect(texts.filter((t) => /: wave \d succeeded$/.test(t))).to.deep.equal([`${r0.id}: wave 1 succeeded`, `${r0.id}: wave 2 succeeded`]);
    // The final report: each instance a paragraph of its own (Teams markdown), with its evidence.
    const final = (texts.at(-1) ?? '').split('\n\n');
    expect(final[0]).to.equal(`${r0.id} succeeded`);
    expect(final.some((l) => /^wave 1: dev-1 \(i-\w+\) succeeded: /.test(l))).to.equal(true);
    expect(final.some((l) => /^wave 2: web-staging-1 \(i-\w+\) succeeded: /.test(l))).to.equal(true);
  });

  it('the Teams poster never sends a token to a plain-http service URL off this machine, and says which credentials a platform lacks', async () => {
    const poster = new TeamsProgressPoster({ credentials: { appId: 'app-1', appPassword: 'p', tokenUrl: 'http://127.0.0.1:9/token' } });
    const insecure = await poster.post({ platform: 'teams', channel: 'c1', thread: null, serviceUrl: 'http://smba.example.com/teams/' }, 'x').catch((e: unknown) => e);
    expect(insecure).to.be.instanceOf(ValidationError);
    expect((insecure as Error).message).to.equal('progressThread.serviceUrl: expected an https URL, got http://smba.example.com: no token is sent there');

    const none = progressPosterFromEnv({});
    const slack = await none.post({ platform: 'slack', channel: 'C1', thread: '1.2' }, 'x').catch((e: unknown) => e);
    expect((slack as Error).message).to.equal('SLACK_BOT_TOKEN: posting progress to Slack needs the bot token (chat:write) in this service');
    const teams = await none.post({ platform: 'teams', channel: 'c1', thread: null, serviceUrl: 'https://smba.trafficmanager.net/emea/' }, 'x').catch((e: unknown) => e);
    expect((teams as Error).message).to.equal("MicrosoftAppId: posting progress to Teams conversation c1 needs the bot's MicrosoftAppId and MicrosoftAppPassword in this service");
  });
});
