import type { InvocationState, PatchOperation, RebootOption } from '../../domain/patch/run.js';
import type { Instant } from '../../domain/time.js';

/** One AWS-RunPatchBaseline command for a wave (or a part of one). */
export interface WaveCommand {
  /** Idempotency token of this send (see domain sendToken); the runner stores it on the command. */
  readonly token: string;
  readonly instanceIds: readonly string[];
  /** Scan reports only; Install installs. */
  readonly operation: PatchOperation;
  readonly rebootOption: RebootOption;
  /** The run's patch snapshot: every wave installs the same patches. */
  readonly snapshotId: string;
  /** SSM MaxConcurrency and MaxErrors: a count or a percentage. */
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  /** A CloudWatch alarm that stops the command when it goes off (at most one). */
  readonly alarmName: string | null;
}

/** A command the service accepted. */
export interface SentCommand {
  readonly commandId: string;
  readonly requestedAt: Instant;
}

/**
 * Runs patch commands on instances (SSM SendCommand of AWS-RunPatchBaseline) and reports on them.
 * Pagination, retries and the mapping of SSM statuses stay inside the adapter.
 */
export interface PatchRunner {
  /** True for a runner that sends nothing anywhere (the demo): outputs must say so. */
  readonly simulated: boolean;
  /** Most instances one command may name (SSM: 50). */
  readonly maxInstancesPerCommand: number;
  /** @throws SourceError when the service refuses or cannot be reached. */
  send(command: WaveCommand): Promise<SentCommand>;
  /**
   * The command sent with `token` at or after `since` to exactly `instanceIds`, or null. A run
   * resumed after a crash between sending and recording asks this before sending again; a command
   * with the token for other instances is not the wave's, so the wave is sent.
   */
  findSent(token: string, since: Instant, instanceIds: readonly string[]): Promise<SentCommand | null>;
  /** The state of each instance's invocation now (an instance not yet reached is pending). */
  invocations(commandId: string, instanceIds: readonly string[]): Promise<readonly InvocationState[]>;
  /** Asks the service to stop a command (instances not finished are cancelled). */
  cancel(commandId: string): Promise<void>;
}

/**
 * Where the simulated runner (the demo) keeps what it "sent", so a demo run resumed by another
 * process finds a command by its token exactly as SSM would, instead of sending it again.
 */
export interface SimulatedCommandLog {
  /** Records the command under its token, unless one is there: then that one is returned. */
  recordSimulatedCommand(token: string, command: SentCommand): Promise<SentCommand>;
  findSimulatedCommand(token: string): Promise<SentCommand | null>;
}

/** Waits; injected so tests spend no real time (and move a fake clock instead). */
export type Sleeper = (ms: number) => Promise<void>;
