/**
 * The slow half of the Slack bot (chat-jobs.ts runs it): answers go back on the command's
 * response_url, approval requests are posted in the channel, and a run's message is kept current
 * with chat.update. This file holds only what is Slack's: where each document is written, in
 * Block Kit.
 */
import type { PatchRunReport } from '../../../ports/inbound/patching/patch-runs.port.js';
import { awaitsApproval, readyToExecute, type ChatAnswer } from '../chat/chat-answers.js';
import type { ChatDoc } from '../chat/chat-documents.js';
import { ChatJobRunner, type AnswerFollowUp, type ChatJobsOptions, type ChatJobSurface } from '../chat/chat-jobs.js';
import { renderSlack, slackMarkup } from './block-kit.js';
import type { SlackApi } from './slack-api.js';
import { SLACK_ACCESS_HELP, type SlackAccess } from './slack-access.js';
import { SLACK_JOB, type CommandJob, type DecisionJob, type ExecuteJob, type MessageTarget, type SlackUser } from './slack-payloads.js';

export interface SlackJobsOptions extends ChatJobsOptions<SlackUser> {
  readonly api: SlackApi;
  readonly access: SlackAccess;
}

export class SlackJobs extends ChatJobRunner<SlackUser, CommandJob, DecisionJob, ExecuteJob, MessageTarget>
  implements ChatJobSurface<SlackUser, CommandJob, DecisionJob, ExecuteJob, MessageTarget> {
  constructor(private readonly o: SlackJobsOptions) {
    super(o, { platform: 'Slack', kinds: SLACK_JOB, markup: slackMarkup, accessHelp: SLACK_ACCESS_HELP });
  }

  within(job: CommandJob | DecisionJob | ExecuteJob, work: (target: MessageTarget) => Promise<void>): Promise<void> {
    return work('message' in job ? job.message : { channelId: job.channelId, ts: null, responseUrl: job.responseUrl });
  }

  commandContext(p: CommandJob): { idempotencyKey: string; reason: string; progressThread?: { platform: string; channel: string; thread: string | null } } {
    return {
      idempotencyKey: `slack:${p.triggerId}`,
      reason: `requested in Slack by ${p.user.name ?? p.user.id}${p.channelName ? ` in #${p.channelName}` : ''}`,
      // A slash command has no message to thread under yet: the run's message, posted once the
      // run is stored, becomes the thread (announce records its ts).
      ...(p.channelId ? { progressThread: { platform: 'slack', channel: p.channelId, thread: null } } : {}),
    };
  }

  async answered(_target: MessageTarget, p: CommandJob, answer: ChatAnswer | null, doc: ChatDoc, next: AnswerFollowUp): Promise<void> {
    if (answer?.kind === 'patch-requested') return this.announce(answer.run, doc, p, next);
    await this.o.api.respond(p.responseUrl, { response_type: 'ephemeral', ...renderSlack(doc) });
  }

  /**
   * A new run: an approval request in the channel, or straight to execution when none is needed
   * (by the service's executor when it is deployed, else here). The run's message is the thread
   * its progress goes to.
   */
  private async announce(run: PatchRunReport, base: ChatDoc, p: CommandJob, next: AnswerFollowUp): Promise<void> {
    const waiting = awaitsApproval(run);
    const mentions = this.o.access.approverMentions();
    const doc: ChatDoc = waiting && mentions.length ? { ...base, notes: [...base.notes, `Approvers: ${mentions.join(' ')}`] } : base;
    if (!waiting && !readyToExecute(run)) {
      // The same request again (idempotency) for a run that has moved on: show where it is.
      await this.o.api.respond(p.responseUrl, { response_type: 'ephemeral', ...renderSlack(doc) });
      return;
    }
    const message = renderSlack(doc);
    const ts = p.channelId ? await this.o.api.postMessage(p.channelId, message) : null;
    // Not in the channel (or a DM the bot cannot post in): the response_url still can.
    if (ts === null) await this.o.api.respond(p.responseUrl, { response_type: 'in_channel', ...message });
    else if (p.channelId) await next.recordThread(run.id, { platform: 'slack', channel: p.channelId, thread: ts });
    if (waiting) {
      if (ts !== null) await this.o.api.respond(p.responseUrl, { response_type: 'ephemeral', text: `Run ${run.id} is waiting for approval by someone other than you; the request is in the channel.` });
      return;
    }
    // The service's executor drives runs (SRE_OPS_EXECUTOR_DEPLOYED): nothing executes in this process.
    if (this.o.executorDeployed === true) return;
    await this.jobs.deferExecute({ runId: run.id, requester: p.user, message: { channelId: p.channelId, ts, responseUrl: ts === null ? p.responseUrl : null } });
  }

  /** Replaces the run's message; through its response_url when chat.update cannot (if `final`). */
  async update(target: MessageTarget, doc: ChatDoc, final: boolean): Promise<boolean> {
    const message = renderSlack(doc);
    if (target.channelId && target.ts && (await this.o.api.updateMessage(target.channelId, target.ts, message))) return true;
    if (final && target.responseUrl) return this.o.api.respond(target.responseUrl, { replace_original: true, ...message });
    return false;
  }

  async decided(target: MessageTarget, doc: ChatDoc): Promise<void> {
    await this.update(target, doc, true);
  }

  async refuse(target: MessageTarget, doc: ChatDoc): Promise<void> {
    if (target.responseUrl) await this.o.api.respond(target.responseUrl, { response_type: 'ephemeral', replace_original: false, ...renderSlack(doc) });
  }

  executeJob(run: PatchRunReport, requester: SlackUser, decision: DecisionJob): ExecuteJob {
    return { runId: run.id, requester, message: decision.message };
  }

  finished(target: MessageTarget, run: PatchRunReport): Promise<void> {
    return this.say(target, `Patch run ${run.id} ${run.status}${run.haltReason ? `: ${run.haltReason}` : ''}`);
  }

  failed(target: MessageTarget, p: ExecuteJob, doc: ChatDoc): Promise<void> {
    return this.say(target, `Patch run ${p.runId} could not go on: ${doc.title}`, doc);
  }

  progressText(text: string): string {
    return slackMarkup.text(text);
  }

  userOf(actorId: string): SlackUser | null {
    return slackUserOf(actorId);
  }

  /** A line in the run's thread (a notification for the channel), or on its response_url. */
  private async say(target: MessageTarget, text: string, doc?: ChatDoc): Promise<void> {
    const message = doc ? renderSlack(doc) : { text: slackMarkup.text(text), blocks: [] };
    const body = { ...message, text: slackMarkup.text(text) };
    if (target.channelId && target.ts && (await this.o.api.postMessage(target.channelId, body, target.ts)) !== null) return;
    if (target.responseUrl) await this.o.api.respond(target.responseUrl, { response_type: 'in_channel', replace_original: false, ...body });
  }
}

/** The Slack user behind an actor id, when it is one. */
export function slackUserOf(actorId: string): SlackUser | null {
  const m = /^slack:([UW][A-Z0-9]+)$/.exec(actorId);
  return m ? { id: m[1] as string, name: null } : null;
}
