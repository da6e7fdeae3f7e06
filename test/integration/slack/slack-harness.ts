/** One Slack Lambda handler over the demo fleet, with Slack's APIs and response_urls on loopback. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessDeferredWork } from '../../../adapters/outbound/memory/in-process-deferred-work.js';
import { createAssistant } from '../../../composition/index.js';
import { createSlackLambdaHandler, type LambdaHandler } from '../../../composition/slack-lambda.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { DeferredWork } from '../../../ports/outbound/deferred-work.port.js';
import { DEMO_FLEET } from '../../support/paths.js';
import { startCaptureServer, type CaptureServer, type CapturedRequest } from '../../support/capture-server.js';
import { FakePatchOperations, withFakePatchOperations } from '../../support/fake-patch-operations.js';
import { BOT_TOKEN, SIGNING_SECRET } from './slack-events.js';

export const REQUESTER = 'U0001';
export const APPROVER = 'U0002';
export const BYSTANDER = 'U0003';
export const APPROVER_GROUP = 'S0APPROVE';

/** Calls to the Assistant's methods, in order, with when they started. */
export interface Spy {
  readonly calls: { readonly method: string; readonly at: number }[];
}

export function spied(a: Assistant): { assistant: Assistant; spy: Spy } {
  const spy: Spy = { calls: [] };
  const assistant = new Proxy(a, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        spy.calls.push({ method: String(prop), at: Date.now() });
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { assistant, spy };
}

let demo: Promise<Assistant> | undefined;
/**
 * The demo fleet, built once for all chat tests (it is read-only). Named by path, not "demo":
 * the default demo folder is found relative to dist/, and these tests also run from source.
 */
export function demoAssistant(): Promise<Assistant> {
  // A config folder of its own: reads find no state file and create none.
  const env = { XDG_CONFIG_HOME: join(tmpdir(), `sre-ops-chat-tests-${process.pid}`) };
  return (demo ??= createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: DEMO_NOW, env }));
}

export const DEMO_NOW = '2026-11-20T12:00:00Z';

export interface Harness {
  readonly handler: LambdaHandler;
  readonly slack: CaptureServer;
  readonly deferred: InProcessDeferredWork;
  readonly ops: FakePatchOperations;
  readonly spy: Spy;
  readonly responseUrl: string;
  /** What the handler logged. */
  readonly logs: string[];
  /** Requests to response_urls. */
  responses(): CapturedRequest[];
  close(): Promise<void>;
}

export async function slackHarness(o: { env?: Record<string, string>; assistant?: (base: Assistant) => Assistant; deferred?: DeferredWork; needsApproval?: boolean } = {}): Promise<Harness> {
  const slack = await startCaptureServer((req) => {
    if (req.path === '/api/chat.postMessage') return { json: { ok: true, channel: req.body.channel, ts: req.body.thread_ts ? '1700000000.000900' : '1700000000.000100' } };
    if (req.path === '/api/chat.update') return { json: { ok: true, channel: req.body.channel, ts: req.body.ts } };
    if (req.path === '/api/usergroups.users.list') return { json: { ok: true, users: req.body.usergroup === APPROVER_GROUP ? [APPROVER] : [] } };
    if (req.path.startsWith('/hooks/')) return { text: 'ok' };
    return { status: 404, json: { ok: false, error: 'unknown_method' } };
  });
  const ops = new FakePatchOperations({ needsApproval: o.needsApproval ?? true });
  const base = withFakePatchOperations(await demoAssistant(), ops);
  const { assistant, spy } = spied(o.assistant ? o.assistant(base) : base);
  const deferred = new InProcessDeferredWork();
  const logs: string[] = [];
  const handler = createSlackLambdaHandler({
    log: (line) => logs.push(line),
    env: {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: `${slack.url}/api/`,
      SRE_OPS_SLACK_REQUESTERS: REQUESTER,
      SRE_OPS_SLACK_APPROVERS: APPROVER_GROUP,
      // The replay guard's SQLite file (no state table here) goes to a fresh folder, not ~.
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'sre-ops-slack-')),
      ...o.env,
    },
    assistant: async () => assistant,
    deferred: o.deferred ?? deferred,
  });
  return {
    handler, slack, deferred, ops, spy, logs,
    responseUrl: `${slack.url}/hooks/T0001/B0001/response`,
    responses: () => slack.to('/hooks/'),
    close: () => slack.close(),
  };
}

/** Every text in a Block Kit message, for limit checks. */
export function textsOf(blocks: unknown): { kind: string; text: string }[] {
  const out: { kind: string; text: string }[] = [];
  const walk = (b: unknown, kind: string): void => {
    if (Array.isArray(b)) return b.forEach((x) => walk(x, kind));
    if (typeof b !== 'object' || b === null) return;
    const o = b as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push({ kind, text: o.text });
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v === 'object') walk(v, typeof o.type === 'string' && o.type !== 'mrkdwn' && o.type !== 'plain_text' ? `${o.type}.${k}` : kind);
  };
  walk(blocks, 'message');
  return out;
}
