/**
 * Alerts, end to end: two collector passes over the changed fixtures (history-1, then history-2)
 * post to loopback stand-ins of Slack's Web API, the Bot Framework connector (and its token
 * endpoint) and a Teams workflow webhook, and to an SNS topic on moto (an HTTP subscription on
 * loopback receives what SNS delivers). A retry of the second pass, and a second collector on
 * the same state file, post nothing new.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { createAssistant } from '../../../composition/index.js';
import { notifiersFromEnv, parseChannels } from '../../../composition/notify.js';
import { ValidationError } from '../../../domain/errors.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { REPO_ROOT } from '../../support/paths.js';

const fixture = (n: number): string => `snapshot:${join(REPO_ROOT, 'test', 'fixtures', 'snapshots', `history-${n}`)}`;

describe('alerts: posted once to Slack, Teams and SNS (loopback stand-ins, moto)', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let slack: CaptureServer;
  let bot: CaptureServer;
  let sink: CaptureServer;
  let dir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-alerts-'));
    slack = await startCaptureServer((r) => (r.path.startsWith('/api/chat.postMessage') ? { json: { ok: true, ts: '1.2' } } : { json: { ok: false, error: 'service_unavailable' } }));
    bot = await startCaptureServer((r) => {
      if (r.path === '/token') return { json: { access_token: 'bot-token-1', expires_in: 3600, token_type: 'Bearer' } };
      if (r.path.startsWith('/v3/conversations/')) return { status: 201, json: { id: 'activity-1' } };
      if (r.path === '/workflow') return { status: 202, text: '' };
      return undefined;
    });
    sink = await startCaptureServer(() => ({ status: 200, text: 'ok' }));
    const sns = new SNSClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sre-ops-alerts' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${sink.url}/sns` }));
    sns.destroy();
    env = {
      SRE_OPS_NOTIFY: `slack:C0ALERTS, teams:19:abc@thread.tacv2@${bot.url}, teams-webhook:${bot.url}/workflow, sns:${TopicArn ?? ''}`,
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: `${slack.url}/api`,
      MICROSOFT_APP_ID: 'app-1', MICROSOFT_APP_PASSWORD: 'secret-1', SRE_OPS_BOT_TOKEN_URL: `${bot.url}/token`,
      AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
    };
  });
  afterEach(async () => {
    await Promise.all([slack.close(), bot.close(), sink.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function collector(day: number): Promise<Assistant> {
    return createAssistant({
      source: fixture(day),
      stateStore: { kind: 'sqlite', path: join(dir, 'state.db') },
      notifiers: await notifiersFromEnv(env, { endpointUrl: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS }),
      notificationLinks: [{ label: 'Open the plan', url: 'https://ops.example.com/plan' }],
    });
  }

  async function pass(day: number) {
    const a = await collector(day);
    try {
      return await a.alertOnChanges(await a.assessFleet(), 'collector');
    } finally {
      await a.close();
    }
  }

  it('posts the new KEV listing on an exposed instance once, everywhere; a retry and a second collector post nothing', async () => {
    const first = await pass(1);
    expect(first.alerts).to.deep.equal([]);
    expect(first.recorded).to.be.a('string');

    const second = await pass(2);
    expect(second.failures).to.deep.equal([]);
    expect(second.posted).to.include('i-0bbb000000000003|CVE-2025-66666#newly-kev-exposed');

    const [post] = slack.to('/api/chat.postMessage');
    expect(post?.headers.authorization).to.equal('Bearer xoxb-test');
    expect(post?.body.channel).to.equal('C0ALERTS');
    expect(JSON.stringify(post?.body.blocks)).to.match(/CVE-2025-66666 on exposed edge-1 \(i-0bbb000000000003\) is now in the CISA KEV catalog/);
    expect(JSON.stringify(post?.body.blocks)).to.include('https://ops.example.com/plan');

    const [activity] = bot.to('/v3/conversations/');
    expect(activity?.path).to.equal(`/v3/conversations/${encodeURIComponent('19:abc@thread.tacv2')}/activities`);
    expect(activity?.headers.authorization).to.equal('Bearer bot-token-1');
    expect(JSON.stringify(activity?.body)).to.match(/application\/vnd\.microsoft\.card\.adaptive/).and.match(/CVE-2025-66666/);
    expect(bot.to('/workflow')).to.have.length(1);
    const delivered = await sink.waitFor((r) => r.path === '/sns', 10_000);
    expect(String(delivered.body.Message)).to.match(/CVE-2025-66666 on exposed edge-1/);

    // A retry of the same pass, and another collector over the same state file: nothing new.
    const retry = await pass(2);
    const other = await pass(2);
    expect(retry.posted).to.deep.equal([]);
    expect(other.posted).to.deep.equal([]);
    expect(retry.alerts.map((a) => a.key)).to.deep.equal(second.alerts.map((a) => a.key));
    expect(slack.to('/api/chat.postMessage')).to.have.length(1);
    expect(bot.to('/v3/conversations/')).to.have.length(1);
    expect(bot.to('/workflow')).to.have.length(1);
    expect(sink.to('/sns')).to.have.length(1);
  });

  it('posts the daily digest once a day: counts, what changed, due soon, overdue, with the buttons', async () => {
    await pass(1);
    await pass(2);
    const before = slack.to('/api/chat.postMessage').length;
    const a = await collector(2);
    try {
      const digest = await a.sendDigest();
      const again = await a.sendDigest();

      expect(digest).to.deep.include({ day: '2026-11-22', posted: true, failures: [] });
      expect(digest.channels).to.have.length(4);
      expect(again.posted).to.equal(false);
    } finally {
      await a.close();
    }
    const posts = slack.to('/api/chat.postMessage').slice(before);
    expect(posts).to.have.length(1);
    const blocks = JSON.stringify(posts[0]?.body.blocks);
    expect(blocks).to.include('SRE ops daily digest (2026-11-22)').and.match(/Newly overdue\* \(2\)/).and.match(/Resolved\* \(1\)/).and.include('Open the plan');
    const card = JSON.stringify(bot.to('/v3/conversations/').at(-1)?.body);
    expect(card).to.include('SRE ops daily digest').and.include('Action.OpenUrl');
  });

  it('gives the alerts back when every channel fails, so the next pass posts them', async () => {
    await pass(1);
    env = { ...env, SRE_OPS_NOTIFY: 'slack:C0ALERTS', SLACK_API_URL: `${slack.url}/down` };
    const failed = await pass(2);
    expect(failed.posted).to.deep.equal([]);
    expect(failed.failures[0]).to.equal('slack:C0ALERTS: chat.postMessage refused: service_unavailable');

    env = { ...env, SLACK_API_URL: `${slack.url}/api` };
    const again = await pass(2);
    expect(again.posted).to.include('i-0bbb000000000003|CVE-2025-66666#newly-kev-exposed');
  });

  it('refuses unknown channels and missing credentials with one line naming the variable', async () => {
    expect(() => parseChannels('pager:oncall')).to.throw(ValidationError, /^SRE_OPS_NOTIFY: "pager:oncall" is not a channel this knows \(pager\)/);
    expect(() => parseChannels('sns:not-an-arn')).to.throw(/^SRE_OPS_NOTIFY: "sns:not-an-arn" has no SNS topic ARN/);
    expect(() => parseChannels('teams:abc')).to.throw(/is not CONVERSATION_ID@SERVICE_URL/);
    await notifiersFromEnv({ SRE_OPS_NOTIFY: 'slack:C1' }).then(
      () => expect.fail('accepted a Slack channel without a token'),
      (err: unknown) => expect((err as Error).message).to.match(/^SLACK_BOT_TOKEN: /),
    );
  });
});
