/**
 * Lets playwright-core 1.65 drive Debian's Firefox ESR 140 over WebDriver BiDi, for the console's
 * browser spec. Run as the "browser executable" (through a small sh wrapper the spec writes):
 *
 *   node firefox-bidi-shim.js LOG REAL_FIREFOX [firefox args...]
 *
 * It starts the real Firefox with the arguments playwright gave, and stands between playwright
 * and Firefox's BiDi WebSocket. Everything passes through unchanged, except this: playwright-core
 * sends, whatever the page does, a few commands that Firefox ESR 140 does not implement yet
 * (it answers "unknown command", and playwright then gives up launching). When Firefox answers
 * "unknown command" to one of the commands in ANSWERED below, the shim answers success
 * instead, and appends the command's name to LOG so the spec can say which were answered.
 * Any other unknown command still fails. A newer Firefox that knows these commands gets them.
 *
 * Why each is safe for the console spec, which never uses what they set up:
 * - network.addDataCollector: keeps response bodies for Response.body(); the spec reads none.
 * - browser.setDownloadBehavior: where downloads go; the spec downloads nothing.
 * - emulation.setScreenOrientationOverride, emulation.setScreenSettingsOverride,
 *   emulation.setMediaFeaturesOverride: playwright resets these per context; the spec asks for
 *   no screen, orientation or media emulation (the viewport is set with browsingContext.setViewport,
 *   which ESR 140 has).
 *
 * With SRE_OPS_SHIM_ADMIT_EVAL_FOR set (a URL prefix), it also intercepts each response under
 * that prefix (network.addIntercept, phase responseStarted, after playwright has subscribed to
 * network events) and continues it with 'unsafe-eval' added to its CSP's script-src; see admitEval.
 *
 * It uses the WebSocket client and server that playwright-core itself bundles (its exported
 * "lib/utilsBundle"), so no other package is needed.
 */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';

const ANSWERED: readonly string[] = [
  'network.addDataCollector',
  'browser.setDownloadBehavior',
  'emulation.setScreenOrientationOverride',
  'emulation.setScreenSettingsOverride',
  'emulation.setMediaFeaturesOverride',
];

interface Socket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
}
interface SocketServer {
  address(): { port: number };
  on(event: 'listening', listener: () => void): void;
  on(event: 'connection', listener: (client: Socket, req: IncomingMessage) => void): void;
}
const { ws: WebSocket, wsServer: WebSocketServer } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle') as {
  ws: new (url: string, options: { perMessageDeflate: boolean }) => Socket;
  wsServer: new (options: { host: string; port: number }) => SocketServer;
};

/** Ids of the shim's own commands, far above playwright's. */
const OWN_IDS = 1_000_000_000;

interface BidiHeader {
  readonly name: string;
  readonly value: { readonly type: string; readonly value: string };
}
interface BidiMessage {
  readonly type?: string;
  readonly id?: number;
  readonly method?: string;
  readonly error?: string;
  readonly message?: string;
  readonly result?: unknown;
  readonly params?: {
    readonly isBlocked: boolean;
    readonly intercepts?: readonly string[];
    readonly request: { readonly request: string; readonly url: string };
    readonly response: { readonly headers: readonly BidiHeader[] };
  };
}

/** SRE_OPS_SHIM_ADMIT_EVAL_FOR: a URL prefix whose pages get 'unsafe-eval' in their CSP (see admitEval). */
const admitEvalFor = process.env.SRE_OPS_SHIM_ADMIT_EVAL_FOR ?? '';

/**
 * The response headers with 'unsafe-eval' added to the CSP's script-src, for a URL under the
 * prefix; null to leave the response as it is. Playwright's injected script (locators, fill,
 * click, evaluate) runs through eval in Firefox's BiDi realms, which the page's CSP governs;
 * WebDriver BiDi has no CSP bypass (Chromium's DevTools protocol is not subject to the CSP).
 * Everything else in the policy stays in force. Done here, on every response including those a
 * redirect leads to (playwright's page.route does not see those).
 */
function admitEval(url: string, headers: readonly BidiHeader[]): BidiHeader[] | null {
  if (!admitEvalFor || !url.startsWith(admitEvalFor)) return null;
  let changed = false;
  // Firefox reports repeated headers (two Set-Cookie) as one value joined by newlines, but takes
  // only single-line values back: each line becomes its own header again.
  const out = headers.flatMap((h) => h.value.value.split('\n').map((value) => ({ name: h.name, value: { type: 'string', value } }))).map((h) => {
    if (h.name.toLowerCase() !== 'content-security-policy' || h.value.value.includes("'unsafe-eval'")) return h;
    changed = true;
    return { name: h.name, value: { type: 'string', value: h.value.value.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'") } };
  });
  return changed ? out : null;
}

function main(): void {
  const [log = '', firefox = '', ...args] = process.argv.slice(2);
  const child = spawn(firefox, args, { stdio: ['ignore', 'inherit', 'pipe'] });
  child.on('exit', (code) => process.exit(code ?? 1));
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, () => child.kill(s));
  let early = '';
  let proxied = false;
  child.stderr?.on('data', (d: Buffer) => {
    if (proxied) {
      process.stderr.write(d);
      return;
    }
    early += d.toString();
    const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(early);
    if (!m?.[1]) return;
    proxied = true;
    const upstream = m[1];
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    // Playwright reads the endpoint from this line: it gets the shim's.
    server.on('listening', () => process.stderr.write(early.replace(upstream, `ws://127.0.0.1:${server.address().port}`)));
    server.on('connection', (client, req) => {
      const up = new WebSocket(upstream.replace(/\/$/, '') + (req.url && req.url !== '/' ? req.url : ''), { perMessageDeflate: false });
      const methods = new Map<number, string>();
      const queued: string[] = [];
      up.on('open', () => queued.splice(0).forEach((q) => up.send(q)));
      up.on('close', () => client.close());
      client.on('close', () => up.close());
      let ownId = OWN_IDS;
      let ownIntercept: string | null = null;
      const own = (method: string, params: object): number => {
        const id = ownId++;
        up.send(JSON.stringify({ id, method, params }));
        return id;
      };
      let interceptCommand = -1;
      /** continueResponse commands with changed headers, by command id: the request they continue. */
      const continued = new Map<number, string>();
      up.on('message', (data) => {
        const text = data.toString();
        const msg = JSON.parse(text) as BidiMessage;
        const method = msg.id !== undefined ? methods.get(msg.id) : undefined;
        if (msg.id !== undefined && msg.id >= OWN_IDS) {
          // The shim's own commands: not playwright's business.
          if (msg.id === interceptCommand && msg.type === 'success') ownIntercept = (msg.result as { intercept: string }).intercept;
          if (msg.type === 'error' && log) appendFileSync(log, `shim command ${msg.id} failed: ${msg.error ?? ''} ${msg.message ?? ''}\n`);
          // A response the shim could not change is let through as it is, never left blocked.
          const blocked = continued.get(msg.id);
          continued.delete(msg.id);
          if (msg.type === 'error' && blocked !== undefined) own('network.continueResponse', { request: blocked });
          return;
        }
        if (msg.id !== undefined) methods.delete(msg.id);
        // Once playwright has subscribed to network events, the shim intercepts responses (see admitEval).
        if (admitEvalFor && method === 'session.subscribe' && msg.type === 'success' && interceptCommand < 0) {
          interceptCommand = own('network.addIntercept', { phases: ['responseStarted'] });
        }
        const params = msg.params;
        if (msg.type === 'event' && msg.method === 'network.responseStarted' && ownIntercept !== null && params && (params.intercepts ?? []).includes(ownIntercept)) {
          const headers = admitEval(params.request.url, params.response.headers);
          const sent = own('network.continueResponse', { request: params.request.request, ...(headers ? { headers } : {}) });
          if (headers) continued.set(sent, params.request.request);
          const others = (params.intercepts ?? []).filter((i) => i !== ownIntercept);
          client.send(JSON.stringify({ ...msg, params: { ...params, isBlocked: others.length > 0, ...(others.length > 0 ? { intercepts: others } : { intercepts: undefined }) } }));
          return;
        }
        if (msg.type === 'error' && msg.error === 'unknown command' && method !== undefined && ANSWERED.includes(method)) {
          if (log) appendFileSync(log, `${method}\n`);
          client.send(JSON.stringify({ type: 'success', id: msg.id, result: {} }));
          return;
        }
        client.send(text);
      });
      client.on('message', (data) => {
        const text = data.toString();
        const msg = JSON.parse(text) as { id?: number; method?: string };
        if (msg.id !== undefined && msg.method) methods.set(msg.id, msg.method);
        if (up.readyState === 1) up.send(text);
        else queued.push(text);
      });
    });
  });
}

main();
