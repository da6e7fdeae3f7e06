/**
 * The slow half of the Teams bot, run after the request has been answered: it writes back into
 * the conversation through botbuilder's proactive messaging (the conversation reference the job
 * carries). Like the Slack jobs, a job reports failures in the conversation instead of throwing,
 * so Lambda does not retry it and post twice.
 */
import { CardFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Assistant } from '../../../ports/inbound/assistant.js';
import type { PatchRunReport, RunProgress } from '../../../ports/inbound/patch-operations.js';
import type { DeferredJob, DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import { answerCommand, awaitsApproval, readyToExecute } from '../chat/chat-answers.js';
import { answerDocument, problemDocument, runDocument, type ChatDoc, type Surface } from '../chat/chat-documents.js';
import { describeError } from '../chat/chat-errors.js';
import { renderCard, teamsMarkup } from './adaptive-cards.js';
import { TEAMS_ACCESS_HELP, type TeamsAccess } from './teams-access.js';
import { TEAMS_JOB, conversationReference, type TeamsCommandJob, type TeamsDecisionJob, type TeamsExecuteJob, type TeamsUser } from './teams-payloads.js';

/** Writes into a conversation after the request that started the work has been answered. */
export type ContinueConversation = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

export interface TeamsJobsOptions {
  readonly assistant: () => Promise<Assistant>;
  readonly access: TeamsAccess;
  readonly deferred: DeferredWork;
  readonly continueConversation: ContinueConversation;
  readonly surface: Surface;
  readonly now: () => number;
  readonly log: (line: string) => void;
  readonly progressIntervalMs?: number;
}

export function cardActivity(doc: ChatDoc): { type: 'message'; attachments: ReturnType<typeof CardFactory.adaptiveCard>[]; summary: string } {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(renderCard(doc))], summary: doc.title };
}

export class TeamsJobs {
  constructor(private readonly o: TeamsJobsOptions) {}

  async run(job: DeferredJob): Promise<void> {
    // Payloads come from this adapter's own turns (through Lambda's Invoke), not the internet.
    switch (job.kind) {
      case TEAMS_JOB.command:
        return this.command(job.payload as unknown as TeamsCommandJob);
      case TEAMS_JOB.decision:
        return this.decision(job.payload as unknown as TeamsDecisionJob);
      case TEAMS_JOB.execute:
        return this.execute(job.payload as unknown as TeamsExecuteJob);
      default:
        this.o.log(`unknown deferred job kind "${job.kind}": ignored`);
    }
  }

  problemDoc(err: unknown): ChatDoc {
    return problemDocument(teamsMarkup, describeError(err, { accessHelp: TEAMS_ACCESS_HELP, helpCommand: `${this.o.surface.command} help`, log: (ref, e) => this.o.log(`unexpected error ${ref}: ${errorText(e)}`) }));
  }

  private async command(p: TeamsCommandJob): Promise<void> {
    await this.o.continueConversation(conversationReference(p.reference), async (ctx) => {
      // botbuilder's continuation activity has a random id, which replies carry as replyToId;
      // the asking message's id threads the answer under the question instead.
      ctx.activity.id = p.activityId;
      let doc: ChatDoc;
      let run: PatchRunReport | null = null;
      try {
        const assistant = await this.o.assistant();
        const actor = await this.o.access.actorOf(p.user, assistant.policy);
        const answer = await answerCommand(assistant, actor, p.command, { now: this.o.now, idempotencyKey: `teams:${p.activityId}`, reason: `requested in Teams by ${p.user.name ?? p.user.id}` });
        if (answer.kind === 'patch-requested') run = answer.run;
        doc = answerDocument(answer, teamsMarkup, this.o.surface);
      } catch (err) {
        doc = this.problemDoc(err);
      }
      const sent = await ctx.sendActivity(cardActivity(doc));
      if (run && !awaitsApproval(run) && readyToExecute(run)) {
        await this.o.deferred.defer({ kind: TEAMS_JOB.execute, payload: { runId: run.id, requester: p.user, reference: p.reference, cardActivityId: sent?.id ?? null } satisfies TeamsExecuteJob });
      }
    });
  }

  private async decision(p: TeamsDecisionJob): Promise<void> {
    await this.o.continueConversation(conversationReference(p.reference), async (ctx) => {
      try {
        const assistant = await this.o.assistant();
        const actor = await this.o.access.actorOf(p.user, assistant.policy);
        const current = await assistant.getPatchRun(actor, p.runId);
        if (p.decision === 'approve' && current.requestedBy === actor.id) {
          await ctx.sendActivity(cardActivity(problemDocument(teamsMarkup, {
            title: 'You cannot approve your own run',
            text: `You requested run ${current.id}; someone else with the approver role must approve it.`,
            hints: ['Reject still works if you want to withdraw it.'],
            reference: null,
          })));
          return;
        }
        if (!awaitsApproval(current)) {
          await this.update(ctx, p.cardActivityId, runDocument(teamsMarkup, current));
          await ctx.sendActivity(cardActivity(problemDocument(teamsMarkup, { title: `Run ${current.id} is ${current.status} already`, text: 'Nothing was changed.', hints: [], reference: null })));
          return;
        }
        const who = p.user.name ?? p.user.id;
        const run = p.decision === 'approve'
          ? await assistant.approvePatchRun(actor, p.runId, `approved in Teams by ${who}`)
          : await assistant.rejectPatchRun(actor, p.runId, `rejected in Teams by ${who}`);
        const doc = runDocument(teamsMarkup, run, `Patch run ${run.id} ${p.decision === 'approve' ? 'approved' : 'rejected'} by ${who}`);
        if (!(await this.update(ctx, p.cardActivityId, doc))) await ctx.sendActivity(cardActivity(doc));
        if (readyToExecute(run)) {
          const requester = teamsUserOf(run.requestedBy) ?? p.user;
          await this.o.deferred.defer({ kind: TEAMS_JOB.execute, payload: { runId: run.id, requester, reference: p.reference, cardActivityId: p.cardActivityId } satisfies TeamsExecuteJob });
        }
      } catch (err) {
        await ctx.sendActivity(cardActivity(this.problemDoc(err)));
      }
    });
  }

  private async execute(p: TeamsExecuteJob): Promise<void> {
    await this.o.continueConversation(conversationReference(p.reference), async (ctx) => {
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
              const doc = runDocument(teamsMarkup, await assistant.getPatchRun(actor, p.runId));
              await this.update(ctx, p.cardActivityId, { ...doc, notes: [...doc.notes, `▶️ ${progress.message}`] });
            })
            .catch((err: unknown) => this.o.log(`progress update of ${p.runId} failed: ${String(err)}`));
        };
        const run = await assistant.executePatchRun(actor, p.runId, onProgress);
        await updates;
        await this.update(ctx, p.cardActivityId, runDocument(teamsMarkup, run));
        await ctx.sendActivity(`Patch run ${run.id} ${run.status}${run.haltReason ? `: ${run.haltReason}` : ''}`);
      } catch (err) {
        await updates;
        await ctx.sendActivity(cardActivity(this.problemDoc(err)));
      }
    });
  }

  /** Replaces the run's card; false when there is none to replace or Teams refused. */
  private async update(ctx: TurnContext, activityId: string | null, doc: ChatDoc): Promise<boolean> {
    if (!activityId) return false;
    try {
      await ctx.updateActivity({ ...cardActivity(doc), id: activityId });
      return true;
    } catch (err) {
      this.o.log(`updating card ${activityId} failed: ${String(err)}`);
      return false;
    }
  }
}

/** The Teams user behind an actor id, when it is one. */
export function teamsUserOf(actorId: string): TeamsUser | null {
  return actorId.startsWith('teams:') ? { id: actorId.slice('teams:'.length), name: null } : null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
}
