/** A scripted PatchRunner for use-case tests: records what was sent, answers as told. */
import type { InvocationState } from '../../domain/patch/run.js';
import type { Instant } from '../../domain/time.js';
import type { PatchRunner, SentCommand, WaveCommand } from '../../ports/outbound/patch-runner.port.js';

export class FakePatchRunner implements PatchRunner {
  readonly simulated = false;
  readonly sent: (WaveCommand & { commandId: string })[] = [];
  readonly lookups: string[] = [];
  readonly cancelled: string[] = [];
  /** The status each instance reports once its command exists (default succeeded). */
  outcome: (instanceId: string, polls: number) => InvocationState['status'] = () => 'succeeded';
  /** Throws from send() before anything is recorded (a refusal, or a crash before the call). */
  failSend: Error | null = null;
  private polls = 0;

  constructor(readonly maxInstancesPerCommand = 50, private readonly now: () => Instant = () => 0) {}

  async send(command: WaveCommand): Promise<SentCommand> {
    if (this.failSend) throw this.failSend;
    const commandId = `cmd-${this.sent.length + 1}`;
    this.sent.push({ ...command, commandId });
    return { commandId, requestedAt: this.now() };
  }

  async findSent(token: string, _since: Instant, instanceIds: readonly string[]): Promise<SentCommand | null> {
    this.lookups.push(token);
    const same = (ids: readonly string[]): boolean => ids.length === instanceIds.length && ids.every((id) => instanceIds.includes(id));
    const hit = this.sent.find((c) => c.token === token && same(c.instanceIds));
    return hit ? { commandId: hit.commandId, requestedAt: this.now() } : null;
  }

  async invocations(commandId: string, instanceIds: readonly string[]): Promise<readonly InvocationState[]> {
    this.polls++;
    const cmd = this.sent.find((c) => c.commandId === commandId);
    return instanceIds.map((instanceId) => {
      if (!cmd?.instanceIds.includes(instanceId)) return { instanceId, status: 'pending', detail: null };
      const status = this.outcome(instanceId, this.polls);
      return { instanceId, status, detail: status === 'failed' ? 'AWS-RunPatchBaseline failed with exit code 1' : null };
    });
  }

  async cancel(commandId: string): Promise<void> {
    this.cancelled.push(commandId);
  }

  /** Instance ids of every command sent, in order. */
  sentInstances(): string[][] {
    return this.sent.map((c) => [...c.instanceIds]);
  }
}
