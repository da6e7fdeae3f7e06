import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackProgressPoster } from '../../../adapters/outbound/chat/slack-progress-poster.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../domain/policy.js';
import { RunAutopilot } from '../../../ports/use-cases/patching/autopilot.use-case.js';
import { busyWeekWith, cpuWeeks, slot } from '../../unit/domain/patch/plan-builders.js';
import { harness, IDS, NOW } from '../../unit/ports/use-cases/patching/harness.js';

interface Posted {
  readonly channel: string;
  readonly thread_ts?: string;
  readonly text: string;
}

const HOUR = 3_600_000;

describe('autopilot posts to the policy\'s Slack channel (Slack stand-in on loopback)', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('the approval request goes to autopilot.chat.channel, not a thread, with the bot token; then the missed window with the next one, under the request', async () => {
    const posted: Posted[] = [];
    const auth: (string | undefined)[] = [];
    server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8').on('data', (d: string) => (raw += d)).on('end', () => {
        if (req.url === '/api/chat.postMessage') {
          posted.push(JSON.parse(raw) as Posted);
          auth.push(req.headers.authorization);
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, ts: '1.2' }));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

    const policy = resolvePolicy({ autopilot: { enabled: true, approvalLeadTimeHours: 4, approvalDeadlineMinutes: 30, chat: { platform: 'slack', channel: 'C-OPS' } } }, DEFAULT_POLICY);
    const h = harness({ world: { policy } });
    h.metrics[IDS.stg] = { cpu: cpuWeeks(NOW, 14, busyWeekWith({ [slot(3, 6)]: 2, [slot(3, 7)]: 2, [slot(3, 8)]: 2 })) };
    const autopilot = new RunAutopilot({ ...h.deps(), progressPoster: new SlackProgressPoster({ token: 'xoxb-test-token', baseUrl: url }) }, 'task-a');

    h.clock.t = NOW + 2 * HOUR;
    await autopilot.tick();
    h.clock.t = NOW + 7 * HOUR;
    await autopilot.tick();

    // The request is the run's thread: the missed window is said under it.
    expect(posted.map((p) => [p.channel, p.thread_ts])).to.deep.equal([['C-OPS', undefined], ['C-OPS', '1.2']]);
    expect(new Set(auth)).to.deep.equal(new Set(['Bearer xoxb-test-token']));
    expect(posted[0]?.text).to.match(/^Autopilot made run r-20261111-060000-\w{6}: web-staging-1 \(i-\w+\) in the window 2026-11-11T06:00:00.000Z to 2026-11-11T09:00:00.000Z\. Approval needed by 2026-11-11T06:30:00.000Z/);
    expect(posted[1]?.text).to.match(/missed its window .*: no approval by 2026-11-11T06:30:00.000Z\. Next quiet window: 2026-11-18T06:00:00.000Z to 2026-11-18T09:00:00.000Z for web-staging-1/);
  });
});
