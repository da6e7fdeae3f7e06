/** One Teams Lambda handler over the demo fleet, with the Bot Framework connector on loopback. */
import { InProcessDeferredWork } from '../../../adapters/outbound/memory/in-process-deferred-work.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { createTeamsLambdaHandler } from '../../../composition/teams-lambda.js';
import type { LambdaHandler } from '../../../composition/chat-lambda.js';
import type { DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import { startCaptureServer, type CaptureServer, type CapturedRequest, type Route } from '../../support/capture-server.js';
import { FakePatchOperations, withFakePatchOperations } from '../../support/fake-patch-operations.js';
import { demoAssistant, spied, type Spy } from '../slack/slack-harness.js';
import { APPROVER_AAD, REQUESTER_AAD } from './teams-events.js';

export interface TeamsHarness {
  readonly handler: LambdaHandler;
  readonly connector: CaptureServer;
  readonly serviceUrl: string;
  readonly deferred: InProcessDeferredWork;
  readonly ops: FakePatchOperations;
  readonly spy: Spy;
  readonly logs: string[];
  /** Activities the bot sent (POST) or updated (PUT) in the conversation. */
  sent(): CapturedRequest[];
  updated(): CapturedRequest[];
  close(): Promise<void>;
}

export async function teamsHarness(o: { env?: (connectorUrl: string) => Record<string, string>; route?: Route; deferred?: DeferredWork; assistant?: (a: Assistant) => Assistant; needsApproval?: boolean } = {}): Promise<TeamsHarness> {
  let n = 0;
  const connector = await startCaptureServer((req) => {
    const extra = o.route?.(req);
    if (extra) return extra;
    const m = /^\/teams\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.path);
    if (m && req.method === 'POST') return { json: { id: `bot-msg-${++n}` } };
    if (m && req.method === 'PUT') return { json: { id: decodeURIComponent(m[2] ?? '') } };
    return { status: 404, json: { error: { code: 'NotFound', message: req.path } } };
  });
  const ops = new FakePatchOperations(o.needsApproval === undefined ? {} : { needsApproval: o.needsApproval });
  const base = withFakePatchOperations(await demoAssistant(), ops);
  const { assistant, spy } = spied(o.assistant ? o.assistant(base) : base);
  const deferred = new InProcessDeferredWork();
  const logs: string[] = [];
  const extra = o.env?.(connector.url) ?? {};
  const handler = createTeamsLambdaHandler({
    // Without an app id of its own, a test runs the bot in emulator mode (its connector is on loopback).
    env: { SRE_OPS_TEAMS_REQUESTERS: REQUESTER_AAD, SRE_OPS_TEAMS_APPROVERS: APPROVER_AAD, ...(extra.MicrosoftAppId ? {} : { SRE_OPS_TEAMS_EMULATOR: 'true' }), ...extra },
    assistant: async () => assistant,
    deferred: o.deferred ?? deferred,
    log: (line) => logs.push(line),
  });
  return {
    handler, connector, deferred, ops, spy, logs,
    serviceUrl: `${connector.url}/teams/`,
    sent: () => connector.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/teams/v3/')),
    updated: () => connector.requests.filter((r) => r.method === 'PUT'),
    close: () => connector.close(),
  };
}

/** The Adaptive Card of a sent activity. */
export function cardOf(r: CapturedRequest): { body: { type: string; text?: string; facts?: { title: string; value: string }[] }[]; actions?: { type: string; title: string; data: Record<string, string> }[] } {
  const attachments = r.body.attachments as { contentType: string; content: unknown }[] | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!card) throw new Error(`no Adaptive Card in ${r.text.slice(0, 300)}`);
  return card.content as ReturnType<typeof cardOf>;
}

export function cardText(r: CapturedRequest): string {
  const c = cardOf(r);
  return c.body.map((b) => [b.text ?? '', ...(b.facts ?? []).map((f) => `${f.title}: ${f.value}`)].join('\n')).join('\n');
}
