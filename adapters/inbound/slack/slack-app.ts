/**
 * The acknowledging half of the Slack bot: a Bolt app on the AwsLambdaReceiver with
 * processBeforeResponse, so the HTTP response is the acknowledgement and nothing runs after it
 * (Lambda freezes the process once the handler returns). Listeners parse, answer `help` and usage
 * errors at once, and hand everything else to deferred work before acknowledging.
 */
import { App, AwsLambdaReceiver, LogLevel, type BlockAction, type ButtonAction, type Logger, type RespondArguments } from '@slack/bolt';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import type { ReplayGuard } from '../../../ports/outbound/replay-guard.port.js';
import { bodyOf, headersOf, httpResult, type ApiGatewayEvent, type HttpResult } from '../chat/api-gateway-event.js';
import { LEGACY_ALIASES, parseSlashCommand, type SlashCommandParse } from '../chat/chat-command.js';
import { helpDocument, problemDocument, workingText, type ChatDoc } from '../chat/chat-documents.js';
import { describeError } from '../chat/chat-errors.js';
import { ACTION_IDS, renderSlack, slackMarkup } from './block-kit.js';
import type { SlackApi } from './slack-api.js';
import { SLACK_ACCESS_HELP } from './slack-access.js';
import { SLACK_JOB, type CommandJob, type DecisionJob } from './slack-payloads.js';

export interface SlackAppOptions {
  readonly signingSecret: string;
  /** Where the signatures already taken are recorded (shared by every instance). */
  readonly replayGuard: ReplayGuard;
  /** The clock for the timestamp window (default Date.now). */
  readonly now?: () => number;
  readonly botToken: string;
  readonly slackApiUrl?: string;
  readonly deferred: DeferredWork;
  readonly api: SlackApi;
  /** The main slash command, for help and notes ("/sre"). */
  readonly mainCommand: string;
  readonly log: (line: string) => void;
}

export type SlackHttpHandler = (event: ApiGatewayEvent, context: unknown) => Promise<HttpResult>;

function ephemeral(doc: ChatDoc): RespondArguments {
  return { response_type: 'ephemeral', ...renderSlack(doc) } as unknown as RespondArguments;
}

/** Bolt's errors into the bot's log; its chattier levels are dropped (debug would log request bodies). */
function boltLogger(log: (line: string) => void): Logger {
  let level = LogLevel.ERROR;
  return {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (...msg: unknown[]) => log(`bolt: ${msg.map(String).join(' ')}`),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

export function createSlackHttpHandler(o: SlackAppOptions): SlackHttpHandler {
  const logger = boltLogger(o.log);
  const receiver = new AwsLambdaReceiver({
    signingSecret: o.signingSecret,
    logger,
    invalidRequestSignatureHandler: () => o.log('refused a request with a missing, stale or wrong Slack signature (401)'),
  });
  const app = new App({
    receiver,
    processBeforeResponse: true,
    // A fixed bot token: no auth.test call on a cold start, which would delay the acknowledgement.
    authorize: async () => ({ botToken: o.botToken }),
    logger,
    ...(o.slackApiUrl ? { clientOptions: { slackApiUrl: o.slackApiUrl } } : {}),
  });
  const problem = (err: unknown, helpCommand: string): ChatDoc =>
    problemDocument(slackMarkup, describeError(err, { accessHelp: SLACK_ACCESS_HELP, helpCommand, log: (ref, e) => o.log(`unexpected error ${ref}: ${String(e)}`) }));

  // Any command routed here: legacy aliases by name, everything else read as the main command.
  app.command(/^\/.+/, async ({ command, ack }) => {
    // Help and hints name the command as typed, unless it is a legacy alias.
    const alias = LEGACY_ALIASES[command.command.toLowerCase()];
    const surface = { command: alias ? o.mainCommand : command.command };
    let parsed: SlashCommandParse;
    try {
      parsed = parseSlashCommand(command.command, command.text ?? '', surface.command);
    } catch (err) {
      await ack(ephemeral(problem(err, `${surface.command} help`)));
      return;
    }
    if (parsed.command.name === 'help') {
      await ack(ephemeral(helpDocument(slackMarkup, surface)));
      return;
    }
    const payload: CommandJob = {
      command: parsed.command,
      text: `${command.command} ${command.text ?? ''}`.trim(),
      user: { id: command.user_id, name: command.user_name ?? null },
      teamId: command.team_id ?? null,
      channelId: command.channel_id ?? null,
      channelName: command.channel_name ?? null,
      responseUrl: command.response_url,
      triggerId: command.trigger_id,
    };
    try {
      await o.deferred.defer({ kind: SLACK_JOB.command, payload });
    } catch (err) {
      await ack(ephemeral(problem(err, `${surface.command} help`)));
      return;
    }
    const asked = alias ? `${alias.subcommand} ${alias.passArgs ? (command.text ?? '') : ''}` : (command.text ?? '');
    const shown = parsed.note ? `${workingText(surface, asked)}\n_${slackMarkup.text(parsed.note)}_` : workingText(surface, asked);
    await ack({ response_type: 'ephemeral', text: shown });
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: /^sre_(approve|reject)$/ }, async ({ ack, body, action }) => {
    await ack();
    const payload: DecisionJob = {
      decision: action.action_id === ACTION_IDS.approve ? 'approve' : 'reject',
      runId: action.value ?? '',
      user: { id: body.user.id, name: body.user.name ?? body.user.username ?? null },
      message: {
        channelId: body.channel?.id ?? null,
        ts: body.message?.ts ?? (body.container as { message_ts?: string } | undefined)?.message_ts ?? null,
        responseUrl: body.response_url ?? null,
      },
    };
    try {
      await o.deferred.defer({ kind: SLACK_JOB.decision, payload });
    } catch (err) {
      if (payload.message.responseUrl) await o.api.respond(payload.message.responseUrl, { response_type: 'ephemeral', replace_original: false, ...renderSlack(problem(err, `${o.mainCommand} help`)) });
    }
  });

  app.error(async (err) => o.log(`Slack listener error: ${err.name}: ${err.message}`));

  const bolt = receiver.toHandler();
  const now = o.now ?? Date.now;
  return async (event, context) => {
    const refused = await refuseStaleOrReplayed(event, o.signingSecret, o.replayGuard, now(), o.log);
    if (refused) return refused;
    try {
      const res = await bolt(boltEvent(event) as never, context);
      return { statusCode: res.statusCode, body: res.body, ...(res.headers ? { headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])) } : {}) };
    } catch (err) {
      // Bolt parses the body before it checks the signature; a body it cannot parse lands here.
      o.log(`unreadable Slack request: ${(err as Error).message}`);
      return httpResult(400);
    }
  };
}

/**
 * Bolt decodes a base64 body as ASCII, which breaks the signature of any non-ASCII text (a name,
 * a reason with an accent), and compares the content type exactly; both are fixed up front.
 */
function boltEvent(event: ApiGatewayEvent): ApiGatewayEvent {
  const headers: Record<string, string | undefined> = { ...(event.headers ?? {}) };
  for (const k of Object.keys(headers)) {
    if (k.toLowerCase() === 'content-type' && headers[k]) headers[k] = (headers[k] as string).split(';')[0]?.trim();
  }
  return { ...event, headers, body: bodyOf(event), isBase64Encoded: false } as ApiGatewayEvent;
}

/** How long Slack's signature on a request is honoured, either side of its timestamp. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;
/** Kept a minute past the window, for clocks of different instances that disagree a little. */
const GUARD_MARGIN_MS = 60_000;

function signatureOf(body: string, timestamp: string, secret: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Checked before Bolt (which checks the signature again, and only a timestamp in the past):
 * a timestamp more than five minutes away from now, in the past or the future, is refused; a
 * correctly signed request is then recorded by its signature, and the same signature seen again
 * within the window is a replay and refused. Only verified signatures are recorded, so nobody
 * can block a genuine request by sending its signature first. Answers 401 like Bolt (503 when
 * the guard cannot be reached: a replay could not be told from a first request).
 */
async function refuseStaleOrReplayed(event: ApiGatewayEvent, secret: string, guard: ReplayGuard, now: number, log: (line: string) => void): Promise<HttpResult | null> {
  const headers = headersOf(event);
  const timestamp = headers['x-slack-request-timestamp'] ?? '';
  const signature = headers['x-slack-signature'] ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || !signature) return null; // Bolt refuses these itself
  const at = Number(timestamp) * 1000;
  if (Math.abs(now - at) > SIGNATURE_WINDOW_MS) {
    log(`refused a Slack request whose timestamp is more than five minutes ${at > now ? 'in the future' : 'old'} (401)`);
    return httpResult(401);
  }
  const expected = Buffer.from(signatureOf(bodyOf(event), timestamp, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null; // Bolt refuses and logs it
  let fresh: boolean;
  try {
    fresh = await guard.claim(`slack:${signature}`, at + SIGNATURE_WINDOW_MS + GUARD_MARGIN_MS);
  } catch (err) {
    log(`could not check a Slack request for replay (503): ${err instanceof Error ? err.message : String(err)}`);
    return httpResult(503);
  }
  if (!fresh) {
    log('refused a replayed Slack request: its signature was already used (401)');
    return httpResult(401);
  }
  return null;
}
