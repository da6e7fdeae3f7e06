/** The history tool: what changed between two recorded assessments (read-only, lists bounded). */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { DECISION_KINDS, SSVC_OUTCOMES, TIMELINES } from '../../../domain/vocabulary.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { ChangedFinding, ChangesReport } from '../../../ports/inbound/history/history.port.js';
import { addTool } from './tool-result.js';

const LIST = { default: 20, max: 100 } as const;

export const WhatChangedInput = z.strictObject({
  since: z.string().min(1).max(64).optional().describe('24h, 7d, or an ISO date / date-time with a zone (default 24h): compare the newest recorded assessment with the one at or before this'),
  from: z.string().min(1).max(128).optional().describe('with to: the earlier assessment (an id or an ISO instant)'),
  to: z.string().min(1).max(128).optional().describe('with from: the later assessment (an id or an ISO instant)'),
  limit: z.number().int().min(1).max(LIST.max).default(LIST.default).describe(`at most this many entries in each list (1 to ${LIST.max}); counts cover all`),
});

const Finding = z.object({
  instanceId: z.string(),
  name: z.string().nullable(),
  advisoryId: z.string(),
  ssvc: z.enum(SSVC_OUTCOMES),
  timeline: z.enum(TIMELINES).nullable(),
  dueBy: z.string().nullable(),
  overdue: z.boolean(),
  inKev: z.boolean(),
  moved: z.array(z.string()).optional(),
});
const Ref = z.object({ id: z.string(), at: z.string(), source: z.string(), findings: z.number() }).nullable();

export const WhatChangedOutput = z.object({
  generatedAt: z.string(),
  from: Ref,
  to: Ref,
  dueSoonDays: z.number(),
  counts: z.object({
    added: z.number(), resolved: z.number(), escalations: z.number(), deEscalations: z.number(),
    newlyOverdue: z.number(), dueSoon: z.number(), decisionsChanged: z.number(), acceptancesExpiring: z.number(),
  }),
  added: z.array(Finding),
  resolved: z.array(Finding),
  escalations: z.array(Finding),
  deEscalations: z.array(Finding),
  newlyOverdue: z.array(Finding),
  dueSoon: z.array(Finding),
  decisionsChanged: z.array(z.object({ instanceId: z.string(), name: z.string().nullable(), from: z.enum(DECISION_KINDS).nullable(), to: z.enum(DECISION_KINDS) })),
  acceptancesExpiring: z.array(Finding),
  alerts: z.array(z.object({ kind: z.string(), text: z.string() })),
  warnings: z.array(z.string()),
});

function cut<T>(list: readonly T[], limit: number): T[] {
  return list.slice(0, limit);
}

function finding(f: ChangedFinding): z.output<typeof Finding> {
  return {
    instanceId: f.instanceId, name: f.name, advisoryId: f.advisoryId, ssvc: f.ssvc, timeline: f.timeline, dueBy: f.dueBy, overdue: f.overdue, inKev: f.inKev,
    ...(f.moved ? { moved: [...f.moved] } : {}),
  };
}

function summaryOf(r: ChangesReport): string {
  if (!r.from || !r.to) return `Nothing to compare: ${r.warnings.join(' ')}`;
  const c = r.counts;
  const top = (list: readonly ChangedFinding[]): string => list.slice(0, 3).map((f) => `${f.advisoryId} on ${f.name ?? f.instanceId}`).join('; ');
  return (
    `From ${r.from.at} to ${r.to.at}: ${c.added} new, ${c.resolved} resolved, ${c.escalations} escalated, ${c.deEscalations} de-escalated, ` +
    `${c.newlyOverdue} newly overdue, ${c.dueSoon} due within ${r.dueSoonDays} days, ${c.decisionsChanged} decisions changed, ${c.acceptancesExpiring} acceptances expiring.` +
    (r.escalations.length ? ` Escalated: ${top(r.escalations)}.` : '') +
    (r.newlyOverdue.length ? ` Newly overdue: ${top(r.newlyOverdue)}.` : '')
  );
}

export function registerHistoryTools(server: McpServer, assistant: Assistant, log: (line: string) => void): void {
  addTool(server, {
    name: 'what_changed',
    title: 'What changed',
    description:
      'What changed between two recorded assessments of the fleet: new and resolved findings, escalations (more urgent SSVC outcome or timeline, ' +
      'newly in CISA KEV, a fix newly available) and de-escalations, findings newly overdue or due soon, patch decisions that changed, risk acceptances ' +
      'about to expire. Default: the last 24 hours.',
    input: WhatChangedInput,
    output: WhatChangedOutput,
    readOnly: true,
    async run(args) {
      const between = args.from !== undefined || args.to !== undefined ? ([args.from ?? '', args.to ?? ''] as const) : undefined;
      const r = await assistant.changes({ ...(args.since !== undefined ? { since: args.since } : {}), ...(between ? { between } : {}) });
      const n = args.limit;
      const list = (l: readonly ChangedFinding[]): z.output<typeof Finding>[] => cut(l, n).map(finding);
      const value: z.output<typeof WhatChangedOutput> = {
        generatedAt: r.generatedAt, from: r.from, to: r.to, dueSoonDays: r.dueSoonDays, counts: r.counts,
        added: list(r.added), resolved: list(r.resolved), escalations: list(r.escalations), deEscalations: list(r.deEscalations),
        newlyOverdue: list(r.newlyOverdue), dueSoon: list(r.dueSoon),
        decisionsChanged: cut(r.decisionsChanged, n).map((d) => ({ instanceId: d.instanceId, name: d.name, from: d.from, to: d.to })),
        acceptancesExpiring: list(r.acceptancesExpiring),
        alerts: cut(r.alerts, n).map((a) => ({ kind: a.kind, text: a.text })),
        warnings: [...r.warnings],
      };
      return { value, summary: summaryOf(r) };
    },
  }, log);
}
