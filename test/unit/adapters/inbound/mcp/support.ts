/** An in-memory Assistant over fake ports, a PatchRunReport builder, and an SDK Client connected in-process. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Actor } from '../../../../../domain/access/actor.js';
import { AssessFleet } from '../../../../../ports/use-cases/assessment/assess-fleet.use-case.js';
import { AssessInstance } from '../../../../../ports/use-cases/assessment/assess-instance.use-case.js';
import { assistantFrom } from '../../../../../ports/use-cases/assistant.facade.js';
import type { Assistant } from '../../../../../ports/inbound/assistant.port.js';
import { CaptureSnapshot } from '../../../../../ports/use-cases/assessment/capture-snapshot.use-case.js';
import { ListFindings } from '../../../../../ports/use-cases/assessment/list-findings.use-case.js';
import type { PatchRunReport } from '../../../../../ports/inbound/patching/patch-runs.port.js';
import { PlanPatches } from '../../../../../ports/use-cases/patching/plan-patches.use-case.js';
import { ReportActivity } from '../../../../../ports/use-cases/reports/report-activity.use-case.js';
import { SummarizeCompliance } from '../../../../../ports/use-cases/reports/summarize-compliance.use-case.js';
import { SummarizeMetrics } from '../../../../../ports/use-cases/reports/summarize-metrics.use-case.js';
import { fakeDependencies, type FakeWorld } from '../../../../fakes/memory-ports.js';

export const OPERATOR: Actor = { id: 'alice', roles: ['operator'], via: 'mcp' };
export const VIEWER: Actor = { id: 'bob', roles: ['viewer'], via: 'mcp' };

/** The real use cases over in-memory ports. */
export function assistantOver(world: FakeWorld): Assistant {
  const { deps } = fakeDependencies(world);
  return assistantFrom(deps, {
    assessFleet: new AssessFleet(deps),
    assessInstance: new AssessInstance(deps),
    listFindings: new ListFindings(deps),
    planPatches: new PlanPatches(deps),
    summarizeCompliance: new SummarizeCompliance(deps),
    summarizeMetrics: new SummarizeMetrics(deps),
    reportActivity: new ReportActivity(deps),
    captureSnapshot: new CaptureSnapshot(deps, null),
  });
}

export function aRun(over: Partial<PatchRunReport> = {}): PatchRunReport {
  return {
    id: 'run-1',
    status: 'requested',
    operation: 'Install',
    rebootOption: 'RebootIfNeeded',
    requestedBy: 'alice',
    requestedAt: '2026-11-20T12:00:00.000Z',
    reason: 'KEV findings on web-1',
    needsApproval: true,
    approvals: [],
    approvalExpiresAt: null,
    currentWave: null,
    waves: [{
      number: 1, canary: true, status: 'pending', commandId: null, sentAt: null, verifiedAt: null,
      instances: [{ instanceId: 'i-0123456789abcdef0', name: 'web-1', production: true, status: 'pending', detail: null }],
    }],
    haltReason: null,
    snapshotId: 'snap-1',
    updatedAt: '2026-11-20T12:00:00.000Z',
    version: 1,
    ...over,
  };
}

/** An SDK client talking to `server` over a linked in-memory pair. */
export async function connect(server: McpServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

export function text(r: unknown): string {
  const c = (r as CallToolResult).content[0];
  return c && c.type === 'text' ? c.text : '';
}

export function structured<T = Record<string, unknown>>(r: unknown): T {
  return (r as CallToolResult).structuredContent as T;
}
