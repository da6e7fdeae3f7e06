/**
 * The acknowledging half of the Slack bot: a Bolt app on the AwsLambdaReceiver with
 * processBeforeResponse, so the HTTP response is the acknowledgement and nothing runs after it
 * (Lambda freezes the process once the handler returns). Listeners parse, answer `help` and usage
 * errors at once, and hand everything else to deferred work before acknowledging.
 */
import { App, AwsLambdaReceiver, LogLevel, type BlockAction, type ButtonAction, type Logger, type RespondArguments } from '@slack/bolt';
import type { DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import { bodyOf, httpResult, type ApiGatewayEvent, type HttpResult } from '../chat/api-gateway-event.js';
import { LEGACY_ALIASES, parseSlashCommand, type SlashCommandParse } from '../chat/chat-command.js';
import { helpDocument, problemDocument, workingText, type ChatDoc } from '../chat/chat-documents.js';
import { describeError } from '../chat/chat-errors.js';
import { ACTION_IDS, renderSlack, slackMarkup } from './block-kit.js';
import type { SlackApi } from './slack-api.js';
import { SLACK_ACCESS_HELP } from './slack-access.js';
import { SLACK_JOB, type CommandJob, type DecisionJob } from './slack-payloads.js';

export interface SlackAppOptions {
  readonly signingSecret: string;
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
  return async (event, context) => {
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
