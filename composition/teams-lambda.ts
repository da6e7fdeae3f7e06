/**
 * The Teams Lambda: `handler` takes Bot Framework activities through API Gateway (REST v1 or HTTP
 * API v2) and the deferred jobs this same function hands itself.
 *
 * Environment: MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId, MicrosoftAppType (the
 * id and password may instead come from TEAMS_SECRET_ARN, a JSON secret with appId and
 * appPassword); botbuilder's other endpoint settings pass through for other clouds;
 * SRE_OPS_SOURCE (demo, snapshot:DIR or aws); SRE_OPS_TEAMS_* for who may do what
 * (docs/chat-bots.md). Without an app id and its credentials the bot does not start, except
 * with SRE_OPS_TEAMS_EMULATOR=true: no authentication, for the Bot Framework Emulator on this
 * machine only (never on Lambda).
 */
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import { teamsAccessLists } from '../adapters/inbound/teams/teams-access.js';
import { createTeamsBot } from '../adapters/inbound/teams/teams-bot.js';
import { ValidationError } from '../domain/errors.js';
import type { DeferredWork } from '../ports/outbound/deferred-work.port.js';
import { chatLambdaHandler, deferredRuntime, executorDeployed, lazyAssistant, logLine, readJsonSecret, type Env, type LambdaHandler, type SecretsClient } from './chat-lambda.js';

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

/** Bot Framework authentication settings, and whether the bot runs open for the Emulator. */
export interface TeamsAuth {
  readonly auth: ConfigurationBotFrameworkAuthenticationOptions;
  readonly emulator: boolean;
}

const CREDENTIALS_HELP = 'set MicrosoftAppId and MicrosoftAppPassword, or TEAMS_SECRET_ARN naming a JSON secret with appId and appPassword ' +
  '(SRE_OPS_TEAMS_EMULATOR=true runs without authentication, for the Bot Framework Emulator on this machine only)';

/** SRE_OPS_TEAMS_EMULATOR: true or false (absent: false). */
function emulatorSwitch(env: Env): boolean {
  const raw = env.SRE_OPS_TEAMS_EMULATOR?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ValidationError('SRE_OPS_TEAMS_EMULATOR', 'true or false', `SRE_OPS_TEAMS_EMULATOR: expected true or false, got "${env.SRE_OPS_TEAMS_EMULATOR}"`);
}

/**
 * Bot Framework authentication settings: the environment, with the app password (and, when
 * given there, the app id and tenant) from TEAMS_SECRET_ARN. The bot refuses to start without an
 * app id and a credential (a password, a certificate, or a user-assigned managed identity),
 * exactly as the Slack bot does without its signing secret, unless SRE_OPS_TEAMS_EMULATOR is
 * set (and then not on Lambda). Errors name what is missing, never a value.
 */
export async function teamsAuth(env: Env, secretsClient?: SecretsClient): Promise<TeamsAuth> {
  const auth: Record<string, string> = {};
  for (const k of BOT_FRAMEWORK_KEYS) {
    const v = env[k]?.trim();
    if (v) auth[k] = v;
  }
  const emulator = emulatorSwitch(env);
  if (emulator) {
    if (auth.MicrosoftAppId || env.TEAMS_SECRET_ARN) {
      throw new ValidationError('SRE_OPS_TEAMS_EMULATOR', 'no app id', 'SRE_OPS_TEAMS_EMULATOR=true runs without authentication: unset it, or unset MicrosoftAppId and TEAMS_SECRET_ARN');
    }
    if (env.AWS_LAMBDA_FUNCTION_NAME) {
      throw new ValidationError('SRE_OPS_TEAMS_EMULATOR', 'not on Lambda', 'SRE_OPS_TEAMS_EMULATOR=true is for the Bot Framework Emulator on one machine and is refused on Lambda: ' + CREDENTIALS_HELP.split(' (')[0]);
    }
    return { auth, emulator: true };
  }
  if (!auth.MicrosoftAppPassword && env.TEAMS_SECRET_ARN) {
    const secret = await readJsonSecret(env.TEAMS_SECRET_ARN, secretsClient);
    const password = secret.appPassword ?? secret.MicrosoftAppPassword;
    if (!password) throw new ValidationError('TEAMS_SECRET_ARN', 'a JSON secret with appPassword', 'TEAMS_SECRET_ARN: the secret has no appPassword field');
    auth.MicrosoftAppPassword = password;
    auth.MicrosoftAppId ??= secret.appId ?? secret.MicrosoftAppId ?? '';
    auth.MicrosoftAppTenantId ??= secret.tenantId ?? secret.MicrosoftAppTenantId ?? '';
    for (const k of ['MicrosoftAppId', 'MicrosoftAppTenantId']) if (!auth[k]) delete auth[k];
    if (!auth.MicrosoftAppId) {
      throw new ValidationError('MicrosoftAppId', 'the bot\'s app id', 'MicrosoftAppId is not set and the secret named by TEAMS_SECRET_ARN has no appId field: set one of them');
    }
  }
  if (!auth.MicrosoftAppId) throw new ValidationError('MicrosoftAppId', 'the bot\'s app id', `MicrosoftAppId is not set: the Teams bot does not start without its app id and credentials; ${CREDENTIALS_HELP}`);
  if (!auth.MicrosoftAppPassword && auth.MicrosoftAppType !== 'UserAssignedMSI' && !auth.CertificateThumbprint) {
    throw new ValidationError('MicrosoftAppPassword', 'the bot\'s client secret', 'MicrosoftAppId is set but MicrosoftAppPassword is not (set it, or TEAMS_SECRET_ARN naming a JSON secret with appPassword)');
  }
  if (auth.CertificateThumbprint && !auth.CertificatePrivateKey) {
    throw new ValidationError('CertificatePrivateKey', 'the certificate\'s private key', 'CertificateThumbprint is set but CertificatePrivateKey is not');
  }
  return { auth, emulator: false };
}

/** A handler over one configuration; everything is built on the first event and kept. */
export function createTeamsLambdaHandler(options: TeamsLambdaOptions = {}): LambdaHandler {
  const env = options.env ?? process.env;
  const log = options.log ?? logLine('teams');
  return chatLambdaHandler('Teams', log, async () => {
    const [{ auth, emulator }, work] = await Promise.all([teamsAuth(env, options.secretsClient), deferredRuntime(env, options.deferred)]);
    if (emulator) log('SRE_OPS_TEAMS_EMULATOR=true: requests are NOT authenticated; only activities from a serviceUrl on this machine are answered');
    const bot = createTeamsBot({ auth, emulator, access: teamsAccessLists(env), assistant: lazyAssistant(env, options.assistant), deferred: work.deferred, executorDeployed: executorDeployed(env), log });
    work.runWith((job) => bot.runJob(job));
    return { bot, afterResponse: () => work.afterResponse() };
  });
}

export const handler = createTeamsLambdaHandler();
