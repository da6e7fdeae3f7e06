/**
 * Counts the API calls a client sends, by IAM action ("ec2:DescribeInstances"), through SDK
 * middleware. Used to keep docs/iam-policy.json in step with the code and to benchmark how many
 * calls a fleet read makes; cheap enough for a `--debug` summary too.
 */

/** The part of an SDK client the recorder needs. */
export interface MiddlewareClient {
  readonly middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string; override: boolean }): void };
}

interface HandlerContext {
  readonly clientName?: string;
  readonly commandName?: string;
}

type Handler = (args: unknown) => Promise<unknown>;

/** IAM action of a client and command name: ("EC2Client", "DescribeInstancesCommand") -> "ec2:DescribeInstances". */
export function iamAction(clientName: string, commandName: string): string {
  return `${clientName.replace(/Client$/, '').toLowerCase()}:${commandName.replace(/Command$/, '')}`;
}

/** Counts calls by IAM action across the clients it is attached to. */
export class AwsCallRecorder {
  private readonly counts = new Map<string, number>();

  /**
   * Records every command `client` sends from now on, once per call: the middleware sits in the
   * initialize step, before the retry loop, so SDK retries do not count twice. A call that then
   * fails (denied, unsupported by the endpoint) is still recorded: it was sent.
   */
  attach(...clients: readonly MiddlewareClient[]): this {
    const middleware = (next: Handler, context: HandlerContext): Handler => async (args) => {
      const action = iamAction(context.clientName ?? 'unknown', context.commandName ?? 'unknown');
      this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
      return next(args);
    };
    for (const client of clients) {
      client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'sreOpsCallRecorder', override: true });
    }
    return this;
  }

  /** Calls per IAM action, sorted by action. */
  byAction(): ReadonlyMap<string, number> {
    return new Map([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Every IAM action sent at least once, sorted. */
  actions(): string[] {
    return [...this.byAction().keys()];
  }

  /** Calls of one action, or of all when none is given. */
  count(action?: string): number {
    if (action !== undefined) return this.counts.get(action) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  reset(): void {
    this.counts.clear();
  }
}
