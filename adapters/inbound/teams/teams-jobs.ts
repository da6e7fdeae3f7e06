/**
 * The slow half of the Teams bot (chat-jobs.ts runs it), after the request has been answered: it
 * writes back into the conversation through botbuilder's proactive messaging (the conversation
 * reference the job carries). This file holds only what is Teams': where each document is
 * written, as an Adaptive Card.
 */
import { CardFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { PatchRunReport } from '../../../ports/inbound/patching/patch-runs.port.js';
import { awaitsApproval, readyToExecute, type ChatAnswer } from '../chat/chat-answers.js';
import type { ChatDoc } from '../chat/chat-documents.js';
import { ChatJobRunner, type AnswerFollowUp, type ChatJobsOptions, type ChatJobSurface } from '../chat/chat-jobs.js';
import { renderCard, teamsMarkup } from './adaptive-cards.js';
import { TEAMS_ACCESS_HELP, type TeamsAccess } from './teams-access.js';
import { TEAMS_JOB, conversationReference, type TeamsCommandJob, type TeamsDecisionJob, type TeamsExecuteJob, type TeamsUser } from './teams-payloads.js';

/** Writes into a conversation after the request that started the work has been answered. */
export type ContinueConversation = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

export interface TeamsJobsOptions extends ChatJobsOptions<TeamsUser> {
  readonly access: TeamsAccess;
  readonly continueConversation: ContinueConversation;
}

export function cardActivity(doc: ChatDoc): { type: 'message'; attachments: ReturnType<typeof CardFactory.adaptiveCard>[]; summary: string } {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(renderCard(doc))], summary: doc.title };
}

/** Where a Teams job writes: the conversation turn, and the card about the run, if there is one. */
export interface TeamsTarget {
  readonly ctx: TurnContext;
  readonly cardActivityId: string | null;
}

export class TeamsJobs extends ChatJobRunner<TeamsUser, TeamsCommandJob, TeamsDecisionJob, TeamsExecuteJob, TeamsTarget>
  implements ChatJobSurface<TeamsUser, TeamsCommandJob, TeamsDecisionJob, TeamsExecuteJob, TeamsTarget> {
  constructor(private readonly o: TeamsJobsOptions) {
    super(o, { platform: 'Teams', kinds: TEAMS_JOB, markup: teamsMarkup, accessHelp: TEAMS_ACCESS_HELP });
  }

  within(job: TeamsCommandJob | TeamsDecisionJob | TeamsExecuteJob, work: (target: TeamsTarget) => Promise<void>): Promise<void> {
    return this.o.continueConversation(conversationReference(job.reference), async (ctx) => {
      // botbuilder's continuation activity has a random id, which replies carry as replyToId;
      // the asking message's id threads the answer under the question instead.
      if ('activityId' in job) ctx.activity.id = job.activityId;
      await work({ ctx, cardActivityId: 'cardActivityId' in job ? job.cardActivityId : null });
    });
  }

  commandContext(p: TeamsCommandJob): ReturnType<ChatJobSurface<TeamsUser, TeamsCommandJob, TeamsDecisionJob, TeamsExecuteJob, TeamsTarget>['commandContext']> {
    const ref = conversationReference(p.reference);
    const conversation = ref.conversation;
    return {
      idempotencyKey: `teams:${p.activityId}`,
      reason: `requested in Teams by ${p.user.name ?? p.user.id}`,
      // The service's executor replies under the asking message, through the conversation's
      // Bot Connector (a proactive message; docs/patching.md "Progress").
      ...(conversation?.id && ref.serviceUrl
        ? { progressThread: { platform: 'teams', channel: conversation.id, thread: p.activityId, serviceUrl: ref.serviceUrl, ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}) } }
        : {}),
    };
  }

  async answered(target: TeamsTarget, p: TeamsCommandJob, answer: ChatAnswer | null, doc: ChatDoc, _next: AnswerFollowUp): Promise<void> {
    const sent = await target.ctx.sendActivity(cardActivity(doc));
    const run = answer?.kind === 'patch-requested' ? answer.run : null;
    if (run && !awaitsApproval(run) && readyToExecute(run) && this.o.executorDeployed !== true) {
      await this.jobs.deferExecute({ runId: run.id, requester: p.user, reference: p.reference, cardActivityId: sent?.id ?? null });
    }
  }

  /** Replaces the run's card; false when there is none to replace or Teams refused. */
  async update(target: TeamsTarget, doc: ChatDoc): Promise<boolean> {
    const activityId = target.cardActivityId;
    if (!activityId) return false;
    try {
      await target.ctx.updateActivity({ ...cardActivity(doc), id: activityId });
      return true;
    } catch (err) {
      this.o.log(`updating card ${activityId} failed: ${String(err)}`);
      return false;
    }
  }

  async decided(target: TeamsTarget, doc: ChatDoc): Promise<void> {
    if (!(await this.update(target, doc))) await target.ctx.sendActivity(cardActivity(doc));
  }

  async refuse(target: TeamsTarget, doc: ChatDoc): Promise<void> {
    await target.ctx.sendActivity(cardActivity(doc));
  }

  executeJob(run: PatchRunReport, requester: TeamsUser, decision: TeamsDecisionJob): TeamsExecuteJob {
    return { runId: run.id, requester, reference: decision.reference, cardActivityId: decision.cardActivityId };
  }

  async finished(target: TeamsTarget, run: PatchRunReport): Promise<void> {
    await target.ctx.sendActivity(`Patch run ${run.id} ${run.status}${run.haltReason ? `: ${run.haltReason}` : ''}`);
  }

  async failed(target: TeamsTarget, _job: TeamsExecuteJob, doc: ChatDoc): Promise<void> {
    await target.ctx.sendActivity(cardActivity(doc));
  }

  progressText(text: string): string {
    return text;
  }

  userOf(actorId: string): TeamsUser | null {
    return teamsUserOf(actorId);
  }
}

/** The Teams user behind an actor id, when it is one. */
export function teamsUserOf(actorId: string): TeamsUser | null {
  return actorId.startsWith('teams:') ? { id: actorId.slice('teams:'.length), name: null } : null;
}
