import type { ProgressThread } from '../../domain/patch/run.js';

/**
 * Posts a run's progress to the chat thread where it was requested (Slack chat.postMessage in
 * the thread). The service's executor calls it wave by wave and with the final report; a post
 * that fails is reported by the executor and never stops the run.
 */
export interface RunProgressPoster {
  post(thread: ProgressThread, text: string): Promise<void>;
}
