/**
 * Where the service's executor posts the progress of runs requested in chat (docs/patching.md,
 * "Progress"), from the environment:
 *
 *   SLACK_BOT_TOKEN                Slack chat.postMessage in the run's thread (SRE_OPS_SLACK_API_URL: another base URL)
 *   MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId, MicrosoftAppType
 *                                  Teams: a proactive reply through the conversation's Bot Connector
 *                                  (SRE_OPS_BOT_TOKEN_URL: another token endpoint)
 *
 * The CDK service stack fills these from the bots' Secrets Manager secrets (never plain values);
 * without Teams (context teams=false) it maps no Microsoft* variable. A platform without its
 * credentials posts nothing: the service says so once at start (progressPostingOff), and each
 * post it skips is logged naming the variable.
 */
import { SlackProgressPoster } from '../adapters/outbound/chat/slack-progress-poster.js';
import { ChatProgressPosters, TeamsProgressPoster } from '../adapters/outbound/notify/teams-progress-poster.js';
import type { RunProgressPoster } from '../ports/outbound/run-progress-poster.port.js';

export function progressPosterFromEnv(env: Readonly<Record<string, string | undefined>>): RunProgressPoster {
  const token = env.SLACK_BOT_TOKEN?.trim();
  const slack = token ? new SlackProgressPoster({ token, ...(env.SRE_OPS_SLACK_API_URL ? { baseUrl: env.SRE_OPS_SLACK_API_URL } : {}) }) : null;
  const appId = env.MicrosoftAppId?.trim();
  const appPassword = env.MicrosoftAppPassword?.trim();
  const tenantId = env.MicrosoftAppTenantId?.trim();
  // A single-tenant bot gets its token from its tenant; a multi-tenant one from the Bot Framework's.
  const ownTenant = tenantId && env.MicrosoftAppType?.trim() !== 'MultiTenant' ? { tenantId } : {};
  const teams = new TeamsProgressPoster({
    credentials: appId && appPassword ? { appId, appPassword, ...ownTenant, ...(env.SRE_OPS_BOT_TOKEN_URL ? { tokenUrl: env.SRE_OPS_BOT_TOKEN_URL } : {}) } : null,
  });
  return new ChatProgressPosters({ slack, teams }, {
    slack: 'SLACK_BOT_TOKEN: posting progress to Slack needs the bot token (chat:write) in this service',
  });
}

/**
 * The platforms this environment gives no credentials to post progress with, each with the one
 * line the service logs at start (naming the variables, never a value).
 */
export function progressPostingOff(env: Readonly<Record<string, string | undefined>>): { readonly platform: 'slack' | 'teams'; readonly message: string }[] {
  const set = (name: string): boolean => (env[name]?.trim() ?? '') !== '';
  const off: { platform: 'slack' | 'teams'; message: string }[] = [];
  if (!set('SLACK_BOT_TOKEN')) off.push({ platform: 'slack', message: 'SLACK_BOT_TOKEN: not set: progress of runs requested in Slack is not posted to their threads' });
  const teams = ['MicrosoftAppId', 'MicrosoftAppPassword'].filter((n) => !set(n));
  if (teams.length > 0) off.push({ platform: 'teams', message: `${teams.join(', ')}: not set: Teams progress posting is disabled (runs requested in Teams get no replies in their conversation)` });
  return off;
}
