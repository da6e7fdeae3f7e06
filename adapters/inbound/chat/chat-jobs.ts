/**
 * The slow half of both chat bots, run after the acknowledgement (on Lambda, in a second,
 * asynchronous invocation): answer a command, settle an approval, execute an approved run while
 * keeping its message current (only where the service's executor is not deployed: with it, an
 * approval only changes state and the executor drives the run, docs/patching.md "Chat approvals"). One dispatcher over the neutral chat document (chat-documents.ts);
 * Slack and Teams differ only in how a document is rendered and where it is written, which each
 * supplies as a ChatJobSurface (slack-jobs.ts, teams-jobs.ts).
 *
 * A job never throws for a failure it can tell the person about: on Lambda a thrown error makes
 * the platform retry the invocation, which would post the same answer twice.
 */
import type { Actor } from '../../../domain/access/actor.js';
import type { Policy } from '../../../domain/policy.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { PatchRunReport, RunProgress } from '../../../ports/inbound/patching/patch-runs.port.js';
import type { DeferredJob, DeferredWork, JsonValue } from '../../../ports/outbound/deferred-work.port.js';
import { answerCommand, awaitsApproval, readyToExecute, type AnswerContext, type ChatAnswer } from './chat-answers.js';
import type { ChatCommand } from './chat-command.js';
import { answerDocument, problemDocument, runDocument, type ChatDoc, type Markup, type Surface } from './chat-documents.js';
import { describeError, type ChatProblem } from './chat-errors.js';

/** A person in a chat: the platform's id and, when known, a display name. */
export type ChatUser = { readonly id: string; readonly name: string | null };

export interface ChatCommandJob<U extends ChatUser> {
  readonly command: ChatCommand;
  readonly user: U;
}
export interface ChatDecisionJob<U extends ChatUser> {
  readonly decision: 'approve' | 'reject';
  readonly runId: string;
  readonly user: U;
}
export interface ChatExecuteJob<U extends ChatUser> {
  readonly runId: string;
  /** The run executes as its requester (operators execute; approvers approve). */
  readonly requester: U;
}

/**
 * What one chat platform does with documents. `T` is where a job writes: Slack's message target,
 * Teams' turn in the conversation (opened by `within`).
 */
export interface ChatJobSurface<U extends ChatUser, C extends ChatCommandJob<U>, D extends ChatDecisionJob<U>, E extends ChatExecuteJob<U>, T> {
  /** "Slack", "Teams": in the reasons recorded with approvals. */
  readonly platform: string;
  readonly kinds: { readonly command: string; readonly decision: string; readonly execute: string };
  readonly markup: Markup;
  readonly accessHelp: string;
  /** Runs a job's work where it can write (Teams: inside the conversation). */
  within(job: C | D | E, work: (target: T) => Promise<void>): Promise<void>;
  /** The idempotency key and recorded reason of a command's patch request. */
  commandContext(job: C): { readonly idempotencyKey: string; readonly reason: string; readonly progressThread?: AnswerContext['progressThread'] };
  /** Delivers a command's answer (null when the command failed and `doc` is the problem). */
  answered(target: T, job: C, answer: ChatAnswer | null, doc: ChatDoc, next: AnswerFollowUp): Promise<void>;
  /** Replaces the run's message; `final` allows a fallback route when it cannot be edited. */
  update(target: T, doc: ChatDoc, final: boolean): Promise<boolean>;
  /** The state of a run after an approval or a rejection. */
  decided(target: T, doc: ChatDoc): Promise<void>;
  /** Tells the person who pressed a button why nothing happened. */
  refuse(target: T, doc: ChatDoc): Promise<void>;
  /** The execute job that follows an approval. */
  executeJob(run: PatchRunReport, requester: U, decision: D): E;
  /** The last word of an execution. */
  finished(target: T, run: PatchRunReport): Promise<void>;
  failed(target: T, job: E, doc: ChatDoc): Promise<void>;
  /** A progress line as the platform shows it. */
  progressText(text: string): string;
  /** The chat user behind an actor id, when it is one of this platform's. */
  userOf(actorId: string): U | null;
}

/** What a surface may do after answering a patch request. */
export interface AnswerFollowUp {
  /**
   * Records the thread the run's progress goes to, once the surface has posted the run's
   * message (Slack: its ts). A failure is logged: the run goes on, its progress in the channel.
   */
  recordThread(runId: string, thread: NonNullable<AnswerContext['progressThread']>): Promise<void>;
}

export interface ChatJobsOptions<U extends ChatUser> {
  readonly assistant: () => Promise<Assistant>;
  readonly access: { actorOf(user: U, policy: Pick<Policy, 'access'>): Promise<Actor> };
  readonly deferred: DeferredWork;
  readonly surface: Surface;
  readonly now: () => number;
  /** Writes a line to the logs (never a secret, never to the chat). */
  readonly log: (line: string) => void;
  /** Least time between two progress updates of a running run's message. */
  readonly progressIntervalMs?: number;
  /**
   * The service's executor is deployed (SRE_OPS_EXECUTOR_DEPLOYED=1, set by the CDK bot stack):
   * an approval only changes the run's state and says who drives it; the run is not executed in
   * this process (a Lambda stops at 15 minutes, a run of several waves takes hours).
   */
  readonly executorDeployed?: boolean;
}

export class ChatJobs<U extends ChatUser, C extends ChatCommandJob<U>, D extends ChatDecisionJob<U>, E extends ChatExecuteJob<U>, T> {
  constructor(
    private readonly o: ChatJobsOptions<U>,
    private readonly s: ChatJobSurface<U, C, D, E, T>,
  ) {}

  async run(job: DeferredJob): Promise<void> {
    // Payloads come from this adapter's own acknowledgements (through Lambda's Invoke), not
    // from the internet: their shape is the one the platform's payloads file declares.
    switch (job.kind) {
      case this.s.kinds.command:
        return this.command(job.payload as unknown as C);
      case this.s.kinds.decision:
        return this.decision(job.payload as unknown as D);
      case this.s.kinds.execute:
        return this.execute(job.payload as unknown as E);
      default:
        this.o.log(`unknown deferred job kind "${job.kind}": ignored`);
    }
  }

  /** The problem a person is shown for an error; unexpected errors are logged with a reference. */
  problemDoc(err: unknown): ChatDoc {
    const problem = describeError(err, { accessHelp: this.s.accessHelp, helpCommand: `${this.o.surface.command} help`, log: (ref, e) => this.o.log(`unexpected error ${ref}: ${errorText(e)}`) });
    return problemDocument(this.s.markup, problem);
  }

  /** Queues the execution of a run. */
  async deferExecute(job: E): Promise<void> {
    await this.o.deferred.defer({ kind: this.s.kinds.execute, payload: job as unknown as { readonly [key: string]: JsonValue } });
  }

  private async command(p: C): Promise<void> {
    await this.s.within(p, async (target) => {
      let answer: ChatAnswer | null = null;
      let doc: ChatDoc;
      let recordThread: AnswerFollowUp['recordThread'] = async () => {};
      try {
        const assistant = await this.o.assistant();
        const actor = await this.o.access.actorOf(p.user, assistant.policy);
        answer = await answerCommand(assistant, actor, p.command, { now: this.o.now, ...this.s.commandContext(p) });
        doc = answerDocument(answer, this.s.markup, this.o.surface);
        if (answer.kind === 'patch-requested' && this.o.executorDeployed && readyToExecute(answer.run)) {
          // Needs no approval, and the service's executor drives it: nothing executes here either.
          doc = { ...doc, notes: [...doc.notes, executorNote(this.s.markup, this.o.surface, answer.run)] };
        }
        recordThread = async (runId, thread) => {
          try {
            await assistant.threadPatchRun?.(actor, runId, thread);
          } catch (err) {
            this.o.log(`recording the thread of run ${runId} failed (its progress goes to the channel): ${String(err)}`);
          }
        };
      } catch (err) {
        doc = this.problemDoc(err);
      }
      await this.s.answered(target, p, answer, doc, { recordThread });
    });
  }

  private async decision(p: D): Promise<void> {
    const m = this.s.markup;
    await this.s.within(p, async (target) => {
      try {
        const assistant = await this.o.assistant();
        const actor = await this.o.access.actorOf(p.user, assistant.policy);
        const current = await assistant.getPatchRun(actor, p.runId);
        if (p.decision === 'approve' && current.requestedBy === actor.id) {
          await this.s.refuse(target, problemDocument(m, selfApproval(current)));
          return;
        }
        if (!awaitsApproval(current)) {
          await this.s.update(target, runDocument(m, current), true);
          await this.s.refuse(target, problemDocument(m, { title: `Run ${current.id} is ${current.status} already`, text: 'Nothing was changed.', hints: [], reference: null }));
          return;
        }
        const who = p.user.name ?? p.user.id;
        const run = p.decision === 'approve'
          ? await assistant.approvePatchRun(actor, p.runId, `approved in ${this.s.platform} by ${who}`)
          : await assistant.rejectPatchRun(actor, p.runId, `rejected in ${this.s.platform} by ${who}`);
        const decided = runDocument(m, run, `Patch run ${run.id} ${p.decision === 'approve' ? 'approved' : 'rejected'} by ${who}`);
        // A run with a window (the autopilot's) is started by the service's executor within it,
        // never here, even by a bot deployed without SRE_OPS_EXECUTOR_DEPLOYED.
        if ((this.o.executorDeployed || run.window) && run.status === 'approved') {
          await this.s.decided(target, { ...decided, notes: [...decided.notes, executorNote(m, this.o.surface, run)] });
          return;
        }
        await this.s.decided(target, decided);
        if (readyToExecute(run)) await this.deferExecute(this.s.executeJob(run, this.s.userOf(run.requestedBy) ?? p.user, p));
      } catch (err) {
        await this.s.refuse(target, this.problemDoc(err));
      }
    });
  }

  private async execute(p: E): Promise<void> {
    const m = this.s.markup;
    await this.s.within(p, async (target) => {
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
              const doc = runDocument(m, await assistant.getPatchRun(actor, p.runId));
              await this.s.update(target, { ...doc, notes: [...doc.notes, `▶️ ${this.s.progressText(progress.message)}`] }, false);
            })
            .catch((err: unknown) => this.o.log(`progress update of ${p.runId} failed: ${String(err)}`));
        };
        const run = await assistant.executePatchRun(actor, p.runId, onProgress);
        await updates;
        await this.s.update(target, runDocument(m, run), true);
        await this.s.finished(target, run);
      } catch (err) {
        await updates;
        await this.s.failed(target, p, this.problemDoc(err));
      }
    });
  }
}

/**
 * A platform's jobs: it is the ChatJobSurface (where documents go) and runs the shared dispatcher
 * over itself. Subclasses declare `implements ChatJobSurface<...>`, so the compiler checks them.
 */
export abstract class ChatJobRunner<U extends ChatUser, C extends ChatCommandJob<U>, D extends ChatDecisionJob<U>, E extends ChatExecuteJob<U>, T> {
  protected readonly jobs: ChatJobs<U, C, D, E, T>;
  readonly platform: string;
  readonly kinds: ChatJobSurface<U, C, D, E, T>['kinds'];
  readonly markup: Markup;
  readonly accessHelp: string;

  constructor(options: ChatJobsOptions<U>, platform: Pick<ChatJobSurface<U, C, D, E, T>, 'platform' | 'kinds' | 'markup' | 'accessHelp'>) {
    ({ platform: this.platform, kinds: this.kinds, markup: this.markup, accessHelp: this.accessHelp } = platform);
    this.jobs = new ChatJobs(options, this as unknown as ChatJobSurface<U, C, D, E, T>);
  }

  run(job: DeferredJob): Promise<void> {
    return this.jobs.run(job);
  }

  problemDoc(err: unknown): ChatDoc {
    return this.jobs.problemDoc(err);
  }
}

/** Where an approved run goes when the service's executor drives it, and how to follow it. */
export function executorNote(m: Markup, surface: Surface, run: PatchRunReport): string {
  const runId = run.id;
  const when = run.window ? ` within its window ${run.window.start} to ${run.window.end}` : '';
  return m.text(`▶️ The service's executor drives run ${runId} from here${when}, however long it takes. Follow it with `)
    + m.code(`${surface.command} run ${runId}`) + m.text(` or on the run's page (`) + m.code(`/console/runs/${runId}`) + m.text(', ') + m.code(`GET /v1/patch-runs/${runId}`) + m.text(').');
}

function selfApproval(run: PatchRunReport): ChatProblem {
  return {
    title: 'You cannot approve your own run',
    text: `You requested run ${run.id}; someone else with the approver role must approve it.`,
    hints: ['Reject still works if you want to withdraw it.'],
    reference: null,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
}
