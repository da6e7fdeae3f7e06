/**
 * The slow half of the Slack bot, run after the acknowledgement (on Lambda in a second,
 * asynchronous invocation): answer a command on its response_url, post and settle approval
 * requests, execute an approved run while keeping its message current.
 *
 * A job never throws for a failure it can tell the person about: on Lambda a thrown error makes
 * the platform retry the invocation, which would post the same answer twice.
 */
import type { Assistant } from '../../../ports/inbound/assistant.js';
import type { RunProgress, PatchRunReport } from '../../../ports/inbound/patch-operations.js';
import type { DeferredJob, DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import { answerCommand, awaitsApproval, readyToExecute } from '../chat/chat-answers.js';
import { answerDocument, problemDocument, runDocument, type ChatDoc, type Surface } from '../chat/chat-documents.js';
import { describeError, type ChatProblem } from '../chat/chat-errors.js';
import { renderSlack, slackMarkup } from './block-kit.js';
import type { SlackApi } from './slack-api.js';
import { SLACK_ACCESS_HELP, type SlackAccess } from './slack-access.js';
import { SLACK_JOB, type CommandJob, type DecisionJob, type ExecuteJob, type MessageTarget, type SlackUser } from './slack-payloads.js';

export interface SlackJobsOptions {
  readonly assistant: () => Promise<Assistant>;
  readonly api: SlackApi;
  readonly access: SlackAccess;
  readonly deferred: DeferredWork;
  readonly surface: Surface;
  readonly now: () => number;
  /** Writes a line to the logs (never a secret, never to Slack). */
  readonly log: (line: string) => void;
  /** Least time between two progress updates of a running run's message. */
  readonly progressIntervalMs?: number;
}

export class SlackJobs {
  constructor(private readonly o: SlackJobsOptions) {}

  async run(job: DeferredJob): Promise<void> {
    // Payloads come from this adapter's own acknowledgements (through Lambda's Invoke), not
    // from the internet: their shape is the one slack-payloads.ts declares.
    switch (job.kind) {
      case SLACK_JOB.command:
        return this.command(job.payload as unknown as CommandJob);
      case SLACK_JOB.decision:
        return this.decision(job.payload as unknown as DecisionJob);
      case SLACK_JOB.execute:
        return this.execute(job.payload as unknown as ExecuteJob);
      default:
        this.o.log(`unknown deferred job kind "${job.kind}": ignored`);
    }
  }

  private async command(p: CommandJob): Promise<void> {
    let answer;
    try {
      const assistant = await this.o.assistant();
      const actor = await this.o.access.actorOf(p.user, assistant.policy);
      answer = await answerCommand(assistant, actor, p.command, {
        now: this.o.now,
        idempotencyKey: `slack:${p.triggerId}`,
        reason: `requested in Slack by ${p.user.name ?? p.user.id}${p.channelName ? ` in #${p.channelName}` : ''}`,
      });
    } catch (err) {
      await this.o.api.respond(p.responseUrl, { response_type: 'ephemeral', ...renderSlack(this.problemDoc(err)) });
      return;
    }
    if (answer.kind === 'patch-requested') return this.announce(answer.run, p);
    await this.o.api.respond(p.responseUrl, { response_type: 'ephemeral', ...renderSlack(answerDocument(answer, slackMarkup, this.o.surface)) });
  }

  /** A new run: an approval request in the channel, or straight to execution when none is needed. */
  private async announce(run: PatchRunReport, p: CommandJob): Promise<void> {
    const waiting = awaitsApproval(run);
    const base = answerDocument({ kind: 'patch-requested', run }, slackMarkup, this.o.surface);
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
    if (waiting) {
      if (ts !== null) await this.o.api.respond(p.responseUrl, { response_type: 'ephemeral', text: `Run ${run.id} is waiting for approval by someone other than you; the request is in the channel.` });
      return;
    }
    await this.o.deferred.defer({ kind: SLACK_JOB.execute, payload: { runId: run.id, requester: p.user, message: { channelId: p.channelId, ts, responseUrl: ts === null ? p.responseUrl : null } } satisfies ExecuteJob });
  }

  private async decision(p: DecisionJob): Promise<void> {
    const refuse = (doc: ChatDoc): Promise<boolean> =>
      p.message.responseUrl ? this.o.api.respond(p.message.responseUrl, { response_type: 'ephemeral', replace_original: false, ...renderSlack(doc) }) : Promise.resolve(false);
    try {
      const assistant = await this.o.assistant();
      const actor = await this.o.access.actorOf(p.user, assistant.policy);
      const current = await assistant.getPatchRun(actor, p.runId);
      if (p.decision === 'approve' && current.requestedBy === actor.id) {
        await refuse(problemDocument(slackMarkup, selfApproval(current)));
        return;
      }
      if (!awaitsApproval(current)) {
        await this.update(p.message, runDocument(slackMarkup, current));
        await refuse(problemDocument(slackMarkup, { title: `Run ${current.id} is ${current.status} already`, text: 'Nothing was changed.', hints: [], reference: null }));
        return;
      }
      const who = p.user.name ?? p.user.id;
      const run = p.decision === 'approve'
        ? await assistant.approvePatchRun(actor, p.runId, `approved in Slack by ${who}`)
        : await assistant.rejectPatchRun(actor, p.runId, `rejected in Slack by ${who}`);
      await this.update(p.message, runDocument(slackMarkup, run, `Patch run ${run.id} ${p.decision === 'approve' ? 'approved' : 'rejected'} by ${who}`));
      if (readyToExecute(run)) {
        const requester = slackUserOf(run.requestedBy) ?? p.user;
        await this.o.deferred.defer({ kind: SLACK_JOB.execute, payload: { runId: run.id, requester, message: p.message } satisfies ExecuteJob });
      }
    } catch (err) {
      await refuse(this.problemDoc(err));
    }
  }

  private async execute(p: ExecuteJob): Promise<void> {
    let updates: Promise<unknown> = Promise.resolve();
    try {
      const assistant = await this.o.assistant();
      const actor = await this.o.access.actorOf(p.requester, assistant.policy);
      let last = this.o.now();
      const interval = this.o.progressIntervalMs ?? 10_000;
      const onProgress = (progress: RunProgress): void => {
        if (this.o.now() - last < interval) return;
        last = this.o.now();
        updates = updates
          .then(async () => {
            const run = await assistant.getPatchRun(actor, p.runId);
            const doc = runDocument(slackMarkup, run);
            await this.update(p.message, { ...doc, notes: [...doc.notes, `▶️ ${slackMarkup.text(progress.message)}`] }, false);
          })
          .catch((err: unknown) => this.o.log(`progress update of ${p.runId} failed: ${String(err)}`));
      };
      const run = await assistant.executePatchRun(actor, p.runId, onProgress);
      await updates;
      await this.update(p.message, runDocument(slackMarkup, run));
      await this.say(p.message, `Patch run ${run.id} ${run.status}${run.haltReason ? `: ${run.haltReason}` : ''}`);
    } catch (err) {
      await updates;
      const doc = this.problemDoc(err);
      await this.say(p.message, `Patch run ${p.runId} could not go on: ${doc.title}`, doc);
    }
  }

  /** Replaces the run's message; through its response_url when chat.update cannot. */
  private async update(target: MessageTarget, doc: ChatDoc, fallback = true): Promise<void> {
    const message = renderSlack(doc);
    if (target.channelId && target.ts && (await this.o.api.updateMessage(target.channelId, target.ts, message))) return;
    if (fallback && target.responseUrl) await this.o.api.respond(target.responseUrl, { replace_original: true, ...message });
  }

  /** A line in the run's thread (a notification for the channel), or on its response_url. */
  private async say(target: MessageTarget, text: string, doc?: ChatDoc): Promise<void> {
    const message = doc ? renderSlack(doc) : { text: slackMarkup.text(text), blocks: [] };
    const body = { ...message, text: slackMarkup.text(text) };
    if (target.channelId && target.ts && (await this.o.api.postMessage(target.channelId, body, target.ts)) !== null) return;
    if (target.responseUrl) await this.o.api.respond(target.responseUrl, { response_type: 'in_channel', replace_original: false, ...body });
  }

  private problemDoc(err: unknown): ChatDoc {
    const problem = describeError(err, { accessHelp: SLACK_ACCESS_HELP, helpCommand: `${this.o.surface.command} help`, log: (ref, e) => this.o.log(`unexpected error ${ref}: ${errorText(e)}`) });
    return problemDocument(slackMarkup, problem);
  }
}

function selfApproval(run: PatchRunReport): ChatProblem {
  return {
    title: 'You cannot approve your own run',
    text: `You requested run ${run.id}; someone else with the approver role must approve it.`,
    hints: ['Reject still works if you want to withdraw it.'],
    reference: null,
  };
}

/** The Slack user behind an actor id, when it is one. */
export function slackUserOf(actorId: string): SlackUser | null {
  const m = /^slack:([UW][A-Z0-9]+)$/.exec(actorId);
  return m ? { id: m[1] as string, name: null } : null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
}
