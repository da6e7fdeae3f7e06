/**
 * The contract of patch operations (requests, approvals, runs in waves, verification, schedules,
 * risk acceptances, audit). Shapes are JSON-ready (ISO strings) and shared by every surface.
 * Implemented by the patch use cases; the HTTP API, chat bots, MCP server and CLI code against it.
 */

export type PatchRunStatus =
  | 'requested' | 'approved' | 'rejected' | 'running' | 'verifying' | 'succeeded' | 'halted' | 'failed' | 'cancelled';

export type InstanceRunStatus = 'pending' | 'sent' | 'in-progress' | 'succeeded' | 'failed' | 'timed-out' | 'cancelled' | 'regressed' | 'skipped';

export interface PatchRunRequest {
  /** Instance ids or Name tags; or `fromPlan` for everything the plan patches now / next. */
  readonly instances?: readonly string[];
  readonly fromPlan?: boolean;
  /** AWS-RunPatchBaseline Operation=Scan only: nothing is installed. */
  readonly dryRun?: boolean;
  /** RebootOption: if-needed (RebootIfNeeded, the default) or never (NoReboot). */
  readonly reboot?: 'if-needed' | 'never';
  /** The same key twice makes one run (retries, double clicks). */
  readonly idempotencyKey?: string;
  readonly reason?: string;
}

/** What a surface knows besides the request itself. */
export interface RequestOptions {
  /** The chat thread the request came from: the service's executor posts the run's progress there. */
  readonly progressThread?: {
    readonly platform: string;
    readonly channel: string;
    readonly thread: string | null;
    /** Teams: the conversation's Bot Connector service URL and tenant. */
    readonly serviceUrl?: string;
    readonly tenantId?: string;
  } | null;
}

export interface InstanceRunReport {
  readonly instanceId: string;
  readonly name: string | null;
  readonly production: boolean;
  readonly status: InstanceRunStatus;
  /** Why it failed, regressed or was skipped. */
  readonly detail: string | null;
  /**
   * Once its wave is verified: what the verdict rests on, one check a line (the command's
   * outcome, the patch compliance read after it, status checks and CPU after patching).
   */
  readonly evidence?: readonly string[];
  /** The AWS account and region it was in when requested: the run executes with a live source there. */
  readonly accountId?: string | null;
  readonly region?: string | null;
}

export interface WaveReport {
  readonly number: number;
  readonly canary: boolean;
  readonly status: 'pending' | 'running' | 'verifying' | 'succeeded' | 'halted' | 'failed' | 'cancelled';
  readonly commandId: string | null;
  readonly sentAt: string | null;
  readonly verifiedAt: string | null;
  readonly instances: readonly InstanceRunReport[];
  /** Non-production waves go before production ones. */
  readonly stage?: 'non-production' | 'production';
  /** Every command of the wave (a wave above 50 instances takes several); commandId is the first. */
  readonly commandIds?: readonly string[];
}

export interface ApprovalReport {
  readonly by: string;
  readonly at: string;
  readonly decision: 'approved' | 'rejected';
  readonly comment: string | null;
}

export interface PatchRunReport {
  readonly id: string;
  readonly status: PatchRunStatus;
  readonly operation: 'Scan' | 'Install';
  readonly rebootOption: 'RebootIfNeeded' | 'NoReboot';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly reason: string | null;
  /** Production or patch-now runs need an approver other than the requester. */
  readonly needsApproval: boolean;
  readonly approvals: readonly ApprovalReport[];
  /** An approval is valid until then; null when none is needed or none given. */
  readonly approvalExpiresAt: string | null;
  readonly currentWave: number | null;
  readonly waves: readonly WaveReport[];
  /** Why the run halted or failed: which instance and why. */
  readonly haltReason: string | null;
  readonly snapshotId: string;
  readonly updatedAt: string;
  readonly version: number;
  /** The data source it was planned on ("demo", "aws:eu-west-1"); it executes only there. */
  readonly source?: string;
  /** True for runs on the demo source: nothing is ever sent to AWS. */
  readonly simulated?: boolean;
  /** Why approval is needed ("production: web-1 (i-0abc)"), or null. */
  readonly approvalWhy?: string | null;
  /** An approval was given but has expired: the run must be approved again before it starts. */
  readonly approvalExpired?: boolean;
  /** Runs the autopilot made from a plan window: the window it starts in (not before, not after). */
  readonly window?: { readonly start: string; readonly end: string } | null;
  /** True for runs the autopilot made. */
  readonly autopilot?: boolean;
}

export interface RunProgress {
  readonly runId: string;
  readonly wave: number | null;
  readonly instanceId: string | null;
  readonly message: string;
}
