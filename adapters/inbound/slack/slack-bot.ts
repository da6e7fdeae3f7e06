/**
 * The Slack bot: the acknowledging HTTP handler and the runner of its deferred jobs, over one
 * set of options. The composition root builds it once per Lambda container.
 */
import type { DeferredJob, DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import type { ReplayGuard } from '../../../ports/outbound/replay-guard.port.js';
import type { ApiGatewayEvent, HttpResult } from '../chat/api-gateway-event.js';
import type { AccessLists } from '../chat/chat-access.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { SlackAccess } from './slack-access.js';
import { WebClientSlackApi, type SlackApi } from './slack-api.js';
import { createSlackHttpHandler } from './slack-app.js';
import { SlackJobs } from './slack-jobs.js';

export interface SlackBotOptions {
  readonly signingSecret: string;
  /** Records the signatures taken, so that a replayed request is refused. */
  readonly replayGuard: ReplayGuard;
  readonly botToken: string;
  /** Slack's Web API base ("https://slack.com/api/" when absent). */
  readonly slackApiUrl?: string;
  readonly access: AccessLists;
  /** Built on first use: the acknowledgement never waits for it. */
  readonly assistant: () => Promise<Assistant>;
  readonly deferred: DeferredWork;
  /** The main slash command ("/sre"). */
  readonly mainCommand?: string;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  readonly progressIntervalMs?: number;
  /** The service's executor drives approved runs (SRE_OPS_EXECUTOR_DEPLOYED): approvals do not execute here. */
  readonly executorDeployed?: boolean;
  /** Replaces the Web API client (tests). */
  readonly api?: SlackApi;
}

export interface SlackBot {
  /** An API Gateway request from Slack: verified, acknowledged, slow work deferred. */
  handle(event: ApiGatewayEvent, context: unknown): Promise<HttpResult>;
  /** A job this bot deferred. */
  runJob(job: DeferredJob): Promise<void>;
}

export function createSlackBot(o: SlackBotOptions): SlackBot {
  const log = o.log ?? ((line: string) => console.error(JSON.stringify({ level: 'warn', surface: 'slack', message: line })));
  const now = o.now ?? Date.now;
  const mainCommand = o.mainCommand ?? '/sre';
  const api = o.api ?? new WebClientSlackApi({ botToken: o.botToken, ...(o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}), log });
  const access = new SlackAccess(o.access, api, now);
  const handle = createSlackHttpHandler({ signingSecret: o.signingSecret, replayGuard: o.replayGuard, now, botToken: o.botToken, ...(o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}), deferred: o.deferred, api, mainCommand, log });
  const jobs = new SlackJobs({
    assistant: o.assistant, api, access, deferred: o.deferred, surface: { command: mainCommand }, now, log,
    ...(o.progressIntervalMs !== undefined ? { progressIntervalMs: o.progressIntervalMs } : {}),
    ...(o.executorDeployed ? { executorDeployed: true } : {}),
  });
  return { handle, runJob: (job) => jobs.run(job) };
}
