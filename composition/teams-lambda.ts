/**
 * The Teams Lambda: `handler` takes Bot Framework activities through API Gateway (REST v1 or HTTP
 * API v2) and the deferred jobs this same function hands itself.
 *
 * Environment: MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId, MicrosoftAppType (the
 * password may instead come from TEAMS_SECRET_ARN, a JSON secret with appPassword); botbuilder's
 * other endpoint settings pass through for other clouds; SRE_OPS_SOURCE (demo, snapshot:DIR or
 * aws); SRE_OPS_TEAMS_* for who may do what (docs/chat-bots.md).
 */
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Assistant } from '../ports/inbound/assistant.js';
import { teamsAccessLists } from '../adapters/inbound/teams/teams-access.js';
import { createTeamsBot } from '../adapters/inbound/teams/teams-bot.js';
import { ValidationError } from '../domain/errors.js';
import type { DeferredWork } from '../ports/outbound/deferred-work.port.js';
import { chatLambdaHandler, deferredRuntime, lazyAssistant, logLine, readJsonSecret, type Env, type LambdaHandler, type SecretsClient } from './chat-lambda.js';

export interface TeamsLambdaOptions {
  /** Default: process.env. */
  readonly env?: Env;
  readonly assistant?: () => Promise<Assistant>;
  readonly deferred?: DeferredWork;
  readonly secretsClient?: SecretsClient;
  /** Where log lines go (default: JSON on stderr, which Lambda sends to CloudWatch Logs). */
  readonly log?: (line: string) => void;
}

/** botbuilder's settings that may be given in the environment (botbuilder reads them by these names). */
const BOT_FRAMEWORK_KEYS = [
  'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType', 'CertificateThumbprint', 'CertificatePrivateKey',
  'ChannelService', 'ValidateAuthority', 'ToChannelFromBotLoginUrl', 'ToChannelFromBotOAuthScope', 'ToBotFromChannelTokenIssuer', 'OAuthUrl',
  'ToBotFromChannelOpenIdMetadataUrl', 'ToBotFromEmulatorOpenIdMetadataUrl', 'CallerId',
] as const;

/**
 * Bot Framework authentication settings: the environment, with the app password (and, when
 * given there, the app id and tenant) from TEAMS_SECRET_ARN. Errors never carry a value.
 */
export async function teamsAuth(env: Env, secretsClient?: SecretsClient): Promise<ConfigurationBotFrameworkAuthenticationOptions> {
  const auth: Record<string, string> = {};
  for (const k of BOT_FRAMEWORK_KEYS) {
    const v = env[k]?.trim();
    if (v) auth[k] = v;
  }
  if (!auth.MicrosoftAppPassword && env.TEAMS_SECRET_ARN) {
    const secret = await readJsonSecret(env.TEAMS_SECRET_ARN, secretsClient);
    const password = secret.appPassword ?? secret.MicrosoftAppPassword;
    if (!password) throw new ValidationError('TEAMS_SECRET_ARN', 'a JSON secret with appPassword', 'TEAMS_SECRET_ARN: the secret has no appPassword field');
    auth.MicrosoftAppPassword = password;
    auth.MicrosoftAppId ??= secret.appId ?? secret.MicrosoftAppId ?? '';
    auth.MicrosoftAppTenantId ??= secret.tenantId ?? secret.MicrosoftAppTenantId ?? '';
    for (const k of ['MicrosoftAppId', 'MicrosoftAppTenantId']) if (!auth[k]) delete auth[k];
  }
  if (auth.MicrosoftAppId && !auth.MicrosoftAppPassword && auth.MicrosoftAppType !== 'UserAssignedMSI' && !auth.CertificateThumbprint) {
    throw new ValidationError('MicrosoftAppPassword', 'the bot\'s client secret', 'MicrosoftAppId is set but MicrosoftAppPassword is not (set it, or TEAMS_SECRET_ARN naming a JSON secret with appPassword)');
  }
  return auth;
}

/** A handler over one configuration; everything is built on the first event and kept. */
export function createTeamsLambdaHandler(options: TeamsLambdaOptions = {}): LambdaHandler {
  const env = options.env ?? process.env;
  const log = options.log ?? logLine('teams');
  return chatLambdaHandler('Teams', log, async () => {
    const [auth, work] = await Promise.all([teamsAuth(env, options.secretsClient), deferredRuntime(env, options.deferred)]);
    if (!auth.MicrosoftAppId) log('MicrosoftAppId is not set: requests are NOT authenticated (for the Bot Framework Emulator only)');
    const bot = createTeamsBot({ auth, access: teamsAccessLists(env), assistant: lazyAssistant(env, options.assistant), deferred: work.deferred, log });
    work.runWith((job) => bot.runJob(job));
    return { bot, afterResponse: () => work.afterResponse() };
  });
}

export const handler = createTeamsLambdaHandler();
