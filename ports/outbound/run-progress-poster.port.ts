import type { ProgressThread } from '../../domain/patch/run.js';

/** An approval request of a run, posted where a person can approve it (the autopilot's runs). */
export interface ApprovalRequestPost {
  readonly runId: string;
  /** One line: what is asked ("Autopilot: run RUN needs approval"). */
  readonly title: string;
  /** The request: the run, its instances, its window, the deadline, how else to approve. */
  readonly text: string;
  /** How many instances the run patches, for the Approve button's confirmation. */
  readonly instances: number;
}

/**
 * Posts a run's progress to the chat thread where it was requested (Slack chat.postMessage in
 * the thread). The service's executor calls it wave by wave and with the final report; a post
 * that fails is reported by the executor and never stops the run.
 */
export interface RunProgressPoster {
  post(thread: ProgressThread, text: string): Promise<void>;
  /**
   * Posts an approval request with the chat bot's own Approve / Reject interaction (Slack: the
   * bot's buttons, whose clicks the bot's Lambda verifies, authorizes and audits like any run's).
   * Resolves with the posted message's id, under which the run's later posts are threaded, or
   * null when there is none. A platform without buttons may leave it out: the caller then posts
   * the text.
   */
  postApprovalRequest?(thread: ProgressThread, request: ApprovalRequestPost): Promise<string | null>;
}
