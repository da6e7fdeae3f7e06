/**
 * The Slack Lambda: `handler` takes API Gateway requests from Slack (REST v1 or HTTP API v2) and
 * the deferred jobs this same function hands itself.
 *
 * Environment: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or SLACK_SECRET_ARN naming a JSON secret
 * with signingSecret and botToken; SRE_OPS_SOURCE (demo, snapshot:DIR or aws); SRE_OPS_SLACK_*
 * for who may do what (docs/chat-bots.md); SRE_OPS_STATE_TABLE, where the signatures already seen
 * are recorded (required on Lambda: a replayed request is refused by every instance). Secrets are
 * read once per container and never logged.
 */
import type { Assistant } from '../ports/inbound/assistant.port.js';
import { slackAccessLists } from '../adapters/inbound/slack/slack-access.js';
import type { SlackApi } from '../adapters/inbound/slack/slack-api.js';
import { createSlackBot } from '../adapters/inbound/slack/slack-bot.js';
import { ValidationError } from '../domain/errors.js';
import type { DeferredWork } from '../ports/outbound/deferred-work.port.js';
import type { ReplayGuard } from '../ports/outbound/replay-guard.port.js';
import { replayGuardFromEnv } from './replay-guard.js';
import { chatLambdaHandler, deferredRuntime, executorDeployed, lazyAssistant, logLine, readJsonSecret, type Env, type LambdaHandler, type SecretsClient } from './chat-lambda.js';

export type { LambdaHandler } from './chat-lambda.js';

export interface SlackLambdaOptions {
  /** Default: process.env. */
  readonly env?: Env;
  /** Replaces the Assistant built from SRE_OPS_SOURCE (tests). */
  readonly assistant?: () => Promise<Assistant>;
  /** Replaces the deferred work chosen from the environment (tests, the benchmark). */
  readonly deferred?: DeferredWork;
  /** The Secrets Manager client for SLACK_SECRET_ARN (tests point one at a local server). */
  readonly secretsClient?: SecretsClient;
  /** Replaces the Slack Web API client (tests). */
  readonly api?: SlackApi;
  /** Where log lines go (default: JSON on stderr, which Lambda sends to CloudWatch Logs). */
  readonly log?: (line: string) => void;
  /** Replaces the replay guard chosen from the environment (see composition/replay-guard.ts). */
  readonly replayGuard?: ReplayGuard;
}

export interface SlackSecrets {
  readonly signingSecret: string;
  readonly botToken: string;
}

/**
 * The signing secret and bot token: from the environment, else from the JSON secret named by
 * SLACK_SECRET_ARN. Errors name what is missing, never a value.
 */
export async function slackSecrets(env: Env, secretsClient?: SecretsClient): Promise<SlackSecrets> {
  let signingSecret = env.SLACK_SIGNING_SECRET;
  let botToken = env.SLACK_BOT_TOKEN;
  if ((!signingSecret || !botToken) && env.SLACK_SECRET_ARN) {
    const secret = await readJsonSecret(env.SLACK_SECRET_ARN, secretsClient);
    signingSecret ||= secret.signingSecret ?? secret.SLACK_SIGNING_SECRET;
    botToken ||= secret.botToken ?? secret.SLACK_BOT_TOKEN;
    if (!signingSecret || !botToken) {
      throw new ValidationError('SLACK_SECRET_ARN', 'a JSON secret with signingSecret and botToken', `SLACK_SECRET_ARN: the secret has no ${!signingSecret ? 'signingSecret' : 'botToken'} field`);
    }
  }
  if (!signingSecret || !botToken) {
    throw new ValidationError('SLACK_SIGNING_SECRET', 'the Slack app credentials', 'set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or SLACK_SECRET_ARN naming a JSON secret with signingSecret and botToken');
  }
  return { signingSecret, botToken };
}

/** A handler over one configuration; everything is built on the first event and kept. */
export function createSlackLambdaHandler(options: SlackLambdaOptions = {}): LambdaHandler {
  const env = options.env ?? process.env;
  const log = options.log ?? logLine('slack');
  return chatLambdaHandler('Slack', log, async () => {
    const [secrets, work, replayGuard] = await Promise.all([
      slackSecrets(env, options.secretsClient), deferredRuntime(env, options.deferred), options.replayGuard ?? replayGuardFromEnv(env, log),
    ]);
    const bot = createSlackBot({
      ...secrets,
      replayGuard,
      ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
      access: slackAccessLists(env),
      assistant: lazyAssistant(env, options.assistant),
      deferred: work.deferred,
      mainCommand: env.SRE_OPS_SLACK_COMMAND ?? '/sre',
      executorDeployed: executorDeployed(env),
      log,
      ...(options.api ? { api: options.api } : {}),
    });
    work.runWith((job) => bot.runJob(job));
    return { bot, afterResponse: () => work.afterResponse() };
  });
}

export const handler = createSlackLambdaHandler();
