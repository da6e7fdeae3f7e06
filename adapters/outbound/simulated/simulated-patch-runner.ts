/**
 * A patch runner that sends nothing anywhere: used ONLY for the bundled demo fleet, whose
 * instances do not exist, so the README can show the whole flow (request, approve, run in waves,
 * verify). Every command "succeeds" at once; outputs say "simulated". Never bound for a snapshot
 * or a live account.
 */
import type { InvocationState } from '../../../domain/patch/run.js';
import type { Instant } from '../../../domain/time.js';
import type { PatchRunner, SentCommand, SimulatedCommandLog, WaveCommand } from '../../../ports/outbound/patch-runner.port.js';

/** A log in this process's memory: for tests and embeddings without a state store. */
export class InMemorySimulatedCommandLog implements SimulatedCommandLog {
  private readonly sent = new Map<string, SentCommand>();
  async recordSimulatedCommand(token: string, command: SentCommand): Promise<SentCommand> {
    const held = this.sent.get(token);
    if (held) return held;
    this.sent.set(token, command);
    return command;
  }
  async findSimulatedCommand(token: string): Promise<SentCommand | null> {
    return this.sent.get(token) ?? null;
  }
}

export class SimulatedPatchRunner implements PatchRunner {
  readonly simulated = true;
  readonly maxInstancesPerCommand = 50;
  /** How many commands this instance "sent" (a resumed run that finds its command sends none). */
  sends = 0;

  /**
   * @param log where sends are kept: the state store in the composition (so a resume in another
   *   process finds them, as SSM keeps its commands); this process's memory by default.
   */
  constructor(
    private readonly log: SimulatedCommandLog = new InMemorySimulatedCommandLog(),
    private readonly now: () => Instant = Date.now,
  ) {}

  async send(command: WaveCommand): Promise<SentCommand> {
    this.sends++;
    const at = this.now();
    const sent = { commandId: `simulated-${at.toString(36)}-${command.token.replace(/\W+/g, '-')}`.slice(0, 100), requestedAt: at };
    return this.log.recordSimulatedCommand(command.token, sent);
  }

  async findSent(token: string): Promise<SentCommand | null> {
    return this.log.findSimulatedCommand(token);
  }

  async invocations(_commandId: string, instanceIds: readonly string[]): Promise<readonly InvocationState[]> {
    return instanceIds.map((instanceId) => ({ instanceId, status: 'succeeded', detail: 'simulated: nothing was sent to AWS' }));
  }

  async cancel(): Promise<void> {}
}
