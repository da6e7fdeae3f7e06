/**
 * A loopback HTTP server that records every request and answers from a route table: it stands in
 * for Slack's Web API, a response_url, the Bot Framework connector, Secrets Manager, an OpenID
 * metadata endpoint. Nothing in the chat tests leaves 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
  /** The body as JSON, or a form body as an object (with `payload`/`blocks` JSON decoded). */
  readonly body: Record<string, unknown>;
  readonly at: number;
}

export interface Reply {
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

export type Route = (req: CapturedRequest) => Reply | undefined;

export interface CaptureServer {
  readonly url: string;
  readonly requests: CapturedRequest[];
  /** Requests to paths starting with `prefix`. */
  to(prefix: string): CapturedRequest[];
  /** Resolves with the first request (already made or to come) that matches; rejects after timeoutMs. */
  waitFor(match: (r: CapturedRequest) => boolean, timeoutMs?: number): Promise<CapturedRequest>;
  close(): Promise<void>;
}

function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (!text) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
    }
    return out;
  }
  const json = safeJson(text);
  return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : { value: json };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export async function startCaptureServer(route: Route = () => undefined): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const waiters: { match: (r: CapturedRequest) => boolean; resolve: (r: CapturedRequest) => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const captured: CapturedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        text,
        body: parseBody(text, req.headers['content-type']),
        at: Date.now(),
      };
      requests.push(captured);
      for (const w of [...waiters]) {
        if (w.match(captured)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(captured);
        }
      }
      const reply = route(captured) ?? { json: { ok: true } };
      const body = reply.text ?? JSON.stringify(reply.json ?? {});
      res.writeHead(reply.status ?? 200, { 'content-type': reply.text !== undefined ? 'text/plain' : 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    waitFor(match, timeoutMs = 5000) {
      const hit = requests.find(match);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching request within ${timeoutMs} ms; got ${requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'}`)), timeoutMs);
        waiters.push({ match, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
