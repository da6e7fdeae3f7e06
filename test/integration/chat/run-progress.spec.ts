import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackProgressPoster } from '../../../adapters/outbound/chat/slack-progress-poster.js';
import { SourceError } from '../../../domain/errors.js';
import { ExecutePatchRun } from '../../../ports/use-cases/patching/execute-patch-run.use-case.js';
import { createPatchOperations as createPatchOps } from '../../../ports/use-cases/patching/patch-operations.facade.js';
import { RunPatchExecutor } from '../../../ports/use-cases/patching/patch-executor.use-case.js';
import { ALICE } from '../../patch-builders.js';
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

describe('run progress in the chat thread where the run was requested (Slack stand-in on loopback)', () => {
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
});
