/**
 * The Teams bot: botbuilder's CloudAdapter (Bot Framework authentication of every request: the
 * app id, password, tenant and type come from its configuration) and a TeamsActivityHandler that
 * reads `sre assess web-1`, `@SRE assess web-1` or `assess web-1`, and the Approve / Reject
 * buttons of its cards. Help and usage errors are answered in the turn; everything else goes to
 * deferred work, which answers in the conversation afterwards.
 */
import {
  CloudAdapter, ConfigurationBotFrameworkAuthentication, TeamsActivityHandler, TurnContext,
  type Activity, type ConfigurationBotFrameworkAuthenticationOptions, type InvokeResponse,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { DeferredJob, DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import { errorEnvelope, errorResult, isLoopbackUrl, type ApiGatewayEvent, type HttpResult } from '../chat/api-gateway-event.js';
import type { AccessLists } from '../chat/chat-access.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { ChatUsageError, parseChatCommand, type ChatCommand } from '../chat/chat-command.js';
import { helpDocument, type Surface } from '../chat/chat-documents.js';
import { isDecisionValue, teamsMarkup } from './adaptive-cards.js';
import { CapturedResponse, toBotRequest } from './bot-framework-shim.js';
import { TeamsAccess } from './teams-access.js';
import { cardActivity, TeamsJobs } from './teams-jobs.js';
import { storedReference, TEAMS_JOB, type TeamsCommandJob, type TeamsDecisionJob, type TeamsUser } from './teams-payloads.js';

export interface TeamsBotOptions {
  /**
   * botbuilder's configuration: MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId,
   * MicrosoftAppType and, for other clouds, its endpoint keys.
   */
  readonly auth: ConfigurationBotFrameworkAuthenticationOptions;
  /**
   * Emulator mode (no app id: requests are NOT authenticated), for the Bot Framework Emulator on
   * this machine only: an activity whose serviceUrl is not on loopback is refused (403), and
   * every answer says that nothing is authenticated (a header, and a line on every reply).
   */
  readonly emulator?: boolean;
  readonly access: AccessLists;
  readonly assistant: () => Promise<Assistant>;
  readonly deferred: DeferredWork;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  readonly progressIntervalMs?: number;
  /** The service's executor drives approved runs (SRE_OPS_EXECUTOR_DEPLOYED): approvals do not execute here. */
  readonly executorDeployed?: boolean;
}

export interface TeamsBot {
  handle(event: ApiGatewayEvent): Promise<HttpResult>;
  runJob(job: DeferredJob): Promise<void>;
}

const SURFACE: Surface = { command: 'sre' };

/** What every answer says in emulator mode. */
export const EMULATOR_NOTICE = 'Emulator mode: requests to this bot are NOT authenticated (SRE_OPS_TEAMS_EMULATOR); for local testing only.';
export const EMULATOR_HEADER = 'x-sre-ops-authentication';

/** The command text of a message: mentions of the bot and a leading "sre" taken off. */
export function commandText(context: TurnContext): string {
  const withoutMention = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
  return withoutMention
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim()
    .replace(/^\/?sre\b\s*/i, '');
}

const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);
/** Network failures of a fetch (node-fetch's FetchError carries the system code). */
const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * True when the Bot Framework's OpenID metadata or signing keys could not be fetched: the
 * request may be genuine, the bot just cannot check it now (503, retry), unlike a refused token.
 */
export function isKeyFetchFailure(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  if (!e) return false;
  if (typeof e.message === 'string' && /^Failed to load (openID config|Keys)\b/.test(e.message)) return true;
  if (e.name === 'FetchError' || e.name === 'AbortError') return true;
  return NETWORK_CODES.has(String(e.code)) || NETWORK_CODES.has(String(e.cause?.code));
}

/**
 * botbuilder answers 401 to a missing or refused token but 500 to one it cannot verify at all
 * (a forged signature surfaces as jsonwebtoken's own error), and puts its own error text in the
 * body. Here: a refused token is 401; signing keys that cannot be fetched, 503; anything else,
 * 500. Every answer is the project's error envelope, and the text of the failure goes only to
 * the log, under the request id the answer names.
 */
class LambdaCloudAdapter extends CloudAdapter {
  constructor(auth: ConstructorParameters<typeof CloudAdapter>[0], private readonly log: (line: string) => void) {
    super(auth);
  }

  protected override async processActivity(authorization: unknown, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    try {
      return await super.processActivity(authorization as string, activity, logic);
    } catch (err) {
      const e = err as { name?: string; message?: string; statusCode?: number };
      const requestId = randomUUID();
      if (isKeyFetchFailure(err)) {
        this.log(`the Bot Framework signing keys could not be fetched (503, request ${requestId}): ${e.name}: ${e.message}`);
        return { status: 503, body: errorEnvelope('SERVICE_UNAVAILABLE', 'the Bot Framework signing keys cannot be fetched now; retry shortly', requestId) };
      }
      if (e.statusCode === 401 || TOKEN_ERRORS.has(e.name ?? '')) {
        this.log(`refused a request without a valid Bot Framework token (401): ${e.message ?? e.name}`);
        return { status: 401, body: errorEnvelope('UNAUTHORIZED', 'a valid Bot Framework token is required', requestId) };
      }
      this.log(`request failed (500, request ${requestId}): ${e.name}: ${e.message}`);
      return { status: 500, body: errorEnvelope('INTERNAL', `internal error; the log has it under request id ${requestId}`, requestId) };
    }
  }
}

class SreActivityHandler extends TeamsActivityHandler {
  constructor(private readonly o: { deferred: DeferredWork; tenantId: string | null; log: (line: string) => void; jobs: TeamsJobs }) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
  }

  private async message(context: TurnContext): Promise<void> {
    const a = context.activity;
    const tenant = a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    if (this.o.tenantId && tenant && tenant !== this.o.tenantId) {
      this.o.log(`ignored a message from tenant ${tenant} (the bot serves ${this.o.tenantId})`);
      return;
    }
    const user: TeamsUser = { id: a.from.aadObjectId ?? a.from.id, name: a.from.name ?? null };
    const reference = storedReference(TurnContext.getConversationReference(a));
    if (isDecisionValue(a.value)) {
      const payload: TeamsDecisionJob = { decision: a.value.sreAction, runId: a.value.runId, user, reference, cardActivityId: a.replyToId ?? null };
      await this.defer(context, { kind: TEAMS_JOB.decision, payload });
      return;
    }
    const text = commandText(context);
    let command: ChatCommand;
    try {
      command = parseChatCommand(text);
    } catch (err) {
      if (!(err instanceof ChatUsageError)) throw err;
      await context.sendActivity(cardActivity(this.o.jobs.problemDoc(err)));
      return;
    }
    if (command.name === 'help') {
      await context.sendActivity(cardActivity(helpDocument(teamsMarkup, SURFACE)));
      return;
    }
    const payload: TeamsCommandJob = { command, text, user, reference, activityId: a.id ?? `${Date.now()}` };
    await this.defer(context, { kind: TEAMS_JOB.command, payload });
  }

  private async defer(context: TurnContext, job: DeferredJob): Promise<void> {
    try {
      await this.o.deferred.defer(job);
    } catch (err) {
      await context.sendActivity(cardActivity(this.o.jobs.problemDoc(err)));
    }
  }
}

export function createTeamsBot(o: TeamsBotOptions): TeamsBot {
  const log = o.log ?? ((line: string) => console.error(JSON.stringify({ level: 'warn', surface: 'teams', message: line })));
  const appId = o.auth.MicrosoftAppId ?? '';
  const adapter = new LambdaCloudAdapter(new ConfigurationBotFrameworkAuthentication(o.auth), log);
  const jobs = new TeamsJobs({
    assistant: o.assistant,
    access: new TeamsAccess(o.access),
    deferred: o.deferred,
    continueConversation: (reference, logic) => adapter.continueConversationAsync(appId, reference, logic),
    surface: SURFACE,
    now: o.now ?? Date.now,
    log,
    ...(o.progressIntervalMs !== undefined ? { progressIntervalMs: o.progressIntervalMs } : {}),
    ...(o.executorDeployed ? { executorDeployed: true } : {}),
  });
  const bot = new SreActivityHandler({ deferred: o.deferred, tenantId: o.auth.MicrosoftAppTenantId || null, log, jobs });
  adapter.onTurnError = async (context, error) => {
    log(`turn failed: ${error.name}: ${error.message}`);
    try {
      await context.sendActivity(cardActivity(jobs.problemDoc(error)));
    } catch {
      // The conversation cannot be reached either; the log line above is all there is.
    }
  };
  if (o.emulator) {
    adapter.use({
      onTurn: async (context, next) => {
        context.onSendActivities(async (_ctx, activities, send) => {
          for (const a of activities) a.text = a.text ? `${EMULATOR_NOTICE}\n\n${a.text}` : EMULATOR_NOTICE;
          return send();
        });
        await next();
      },
    });
  }
  const emulatorHeaders: Record<string, string> = o.emulator ? { [EMULATOR_HEADER]: 'none (emulator mode)' } : {};
  return {
    async handle(event) {
      const parsed = toBotRequest(event);
      if ('error' in parsed) return parsed.error;
      if (o.emulator && !isLoopbackUrl(parsed.request.body?.serviceUrl)) {
        const requestId = randomUUID();
        log(`emulator mode: refused an activity whose serviceUrl is not on this machine (403, request ${requestId})`);
        return errorResult(403, 'FORBIDDEN', 'emulator mode answers only a Bot Framework Emulator on this machine (a serviceUrl on localhost)', requestId, emulatorHeaders);
      }
      const res = new CapturedResponse();
      await adapter.process(parsed.request, res, (context) => bot.run(context));
      const result = res.finished ? res.toResult() : errorResult(500, 'INTERNAL', 'the request was not answered', randomUUID());
      return o.emulator ? { ...result, headers: { ...result.headers, ...emulatorHeaders } } : result;
    },
    runJob: (job) => jobs.run(job),
  };
}
