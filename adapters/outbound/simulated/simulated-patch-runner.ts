/**
 * A patch runner that sends nothing anywhere: used ONLY for the bundled demo fleet, whose
 * instances do not exist, so the README can show the whole flow (request, approve, run in waves,
 * verify). Every command "succeeds" at once; outputs say "simulated". Never bound for a snapshot
 * or a live account.
 */
import type { InvocationState } from '../../../domain/patch/run.js';
import type { Instant } from '../../../domain/time.js';
import type { PatchRunner, SentCommand, WaveCommand } from '../../../ports/outbound/patch-runner.port.js';

export class SimulatedPatchRunner implements PatchRunner {
  readonly simulated = true;
  readonly maxInstancesPerCommand = 50;
  private readonly sent = new Map<string, SentCommand & { readonly instanceIds: readonly string[] }>();
  private counter = 0;

  constructor(private readonly now: () => Instant = Date.now) {}

  async send(command: WaveCommand): Promise<SentCommand> {
    this.counter++;
    const sent = { commandId: `simulated-${this.counter}-${command.token.replace(/\W+/g, '-')}`.slice(0, 100), requestedAt: this.now(), instanceIds: command.instanceIds };
    this.sent.set(command.token, sent);
    return { commandId: sent.commandId, requestedAt: sent.requestedAt };
  }

  async findSent(token: string): Promise<SentCommand | null> {
    const hit = this.sent.get(token);
    return hit ? { commandId: hit.commandId, requestedAt: hit.requestedAt } : null;
  }

  async invocations(_commandId: string, instanceIds: readonly string[]): Promise<readonly InvocationState[]> {
    return instanceIds.map((instanceId) => ({ instanceId, status: 'succeeded', detail: 'simulated: nothing was sent to AWS' }));
  }

  async cancel(): Promise<void> {}
}
