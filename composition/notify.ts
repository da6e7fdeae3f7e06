/**
 * Where alerts and digests go, from SRE_OPS_NOTIFY: channels separated by commas, each one of
 *
 *   slack:CHANNEL                      chat.postMessage with SLACK_BOT_TOKEN (SLACK_API_URL for a stand-in)
 *   teams:CONVERSATION_ID@SERVICE_URL  a Bot Framework proactive message to a stored conversation
 *                                      reference, as MICROSOFT_APP_ID / MICROSOFT_APP_PASSWORD
 *   teams-webhook:HTTPS_URL            a Teams workflow webhook
 *   sns:TOPIC_ARN                      SNS Publish (e-mail); @aws-sdk/client-sns, an optional peer
 *
 * A channel this does not know, or one whose credentials are missing, is refused at start with a
 * line naming the variable.
 */
import { ValidationError } from '../domain/errors.js';
import type { NotificationLink, Notifier } from '../ports/outbound/notifier.port.js';
import { SlackNotifier } from '../adapters/outbound/notify/slack-notifier.js';
import { TeamsBotNotifier, TeamsWorkflowNotifier } from '../adapters/outbound/notify/teams-notifier.js';
import { requirePackages } from './optional-packages.js';

export type ChannelSpec =
  | { readonly kind: 'slack'; readonly channel: string }
  | { readonly kind: 'teams'; readonly conversationId: string; readonly serviceUrl: string }
  | { readonly kind: 'teams-webhook'; readonly url: string }
  | { readonly kind: 'sns'; readonly topicArn: string };

const VAR = 'SRE_OPS_NOTIFY';
const EXPECTED = 'slack:CHANNEL, teams:CONVERSATION_ID@SERVICE_URL, teams-webhook:HTTPS_URL or sns:TOPIC_ARN, separated by commas';
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function httpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function refuse(entry: string, why: string): never {
  throw new ValidationError(VAR, EXPECTED, `${VAR}: ${JSON.stringify(entry)} ${why}; expected ${EXPECTED}`);
}

/** @throws ValidationError naming SRE_OPS_NOTIFY. */
export function parseChannels(text: string | undefined): ChannelSpec[] {
  if (text === undefined || !text.trim()) return [];
  return text.split(',').map((raw) => raw.trim()).filter(Boolean).map((entry): ChannelSpec => {
    const colon = entry.indexOf(':');
    const kind = colon < 0 ? entry : entry.slice(0, colon);
    const rest = colon < 0 ? '' : entry.slice(colon + 1).trim();
    switch (kind) {
      case 'slack':
        if (!/^[#A-Za-z0-9._-]{1,80}$/.test(rest)) refuse(entry, 'has no Slack channel id or name');
        return { kind, channel: rest };
      case 'teams': {
        // Teams conversation ids carry an @ themselves (19:...@thread.tacv2): the last one separates.
        const at = rest.lastIndexOf('@');
        const conversationId = at < 0 ? '' : rest.slice(0, at);
        const serviceUrl = at < 0 ? '' : rest.slice(at + 1);
        if (!conversationId || !httpUrl(serviceUrl)) refuse(entry, 'is not CONVERSATION_ID@SERVICE_URL');
        return { kind, conversationId, serviceUrl };
      }
      case 'teams-webhook':
        if (!httpUrl(rest)) refuse(entry, 'has no webhook URL');
        return { kind, url: rest };
      case 'sns':
        if (!TOPIC_ARN.test(rest)) refuse(entry, 'has no SNS topic ARN');
        return { kind, topicArn: rest };
      default:
        return refuse(entry, `is not a channel this knows (${kind || 'nothing'})`);
    }
  });
}

/** The notifiers of SRE_OPS_NOTIFY. @throws ValidationError naming the variable that is missing or wrong. */
export async function notifiersFromEnv(env: Readonly<Record<string, string | undefined>>, aws: { readonly region?: string; readonly endpointUrl?: string; readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } } = {}): Promise<Notifier[]> {
  const specs = parseChannels(env[VAR]);
  const out: Notifier[] = [];
  for (const s of specs) {
    if (s.kind === 'slack') {
      const token = env.SLACK_BOT_TOKEN;
      if (!token) throw new ValidationError('SLACK_BOT_TOKEN', 'a Slack bot token', `SLACK_BOT_TOKEN: ${VAR} names slack:${s.channel}, which needs a bot token with chat:write`);
      out.push(new SlackNotifier({ token, channel: s.channel, ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}) }));
    } else if (s.kind === 'teams') {
      const appId = env.MICROSOFT_APP_ID;
      const appPassword = env.MICROSOFT_APP_PASSWORD;
      if (!appId || !appPassword) throw new ValidationError('MICROSOFT_APP_ID', 'the bot\'s app id and password', `MICROSOFT_APP_ID: ${VAR} names teams:${s.conversationId}, which needs MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD`);
      out.push(new TeamsBotNotifier({ serviceUrl: s.serviceUrl, conversationId: s.conversationId }, { appId, appPassword, ...(env.SRE_OPS_BOT_TOKEN_URL ? { tokenUrl: env.SRE_OPS_BOT_TOKEN_URL } : {}) }));
    } else if (s.kind === 'teams-webhook') {
      out.push(new TeamsWorkflowNotifier(s.url));
    } else {
      requirePackages(`${VAR} sns:`, ['@aws-sdk/client-sns']);
      const [{ SNSClient, PublishCommand }, { SnsNotifier }] = await Promise.all([import('@aws-sdk/client-sns'), import('../adapters/outbound/notify/sns-notifier.js')]);
      const region = aws.region ?? s.topicArn.split(':')[3];
      out.push(new SnsNotifier(new SNSClient({ ...(region ? { region } : {}), ...(aws.endpointUrl ? { endpoint: aws.endpointUrl } : {}), ...(aws.credentials ? { credentials: aws.credentials } : {}) }), s.topicArn, PublishCommand));
    }
  }
  return out;
}

/**
 * The buttons under alerts and digests, from SRE_OPS_CONSOLE_URL: the web console's address, its
 * /console prefix included (https://ops.example.com/console). Its plan page, and its runs page,
 * whose form requests a run (docs/console.md).
 */
export function notificationLinksFromEnv(env: Readonly<Record<string, string | undefined>>): NotificationLink[] {
  const base = env.SRE_OPS_CONSOLE_URL?.trim().replace(/\/$/, '');
  if (!base) return [];
  if (!httpUrl(base)) throw new ValidationError('SRE_OPS_CONSOLE_URL', 'an https URL', `SRE_OPS_CONSOLE_URL: expected an https URL, got ${JSON.stringify(base)}`);
  return [{ label: 'Open the plan', url: `${base}/plan` }, { label: 'Request a run', url: `${base}/runs` }];
}
