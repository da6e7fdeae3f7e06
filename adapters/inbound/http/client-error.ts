/**
 * Requests Node's HTTP parser refuses before any middleware runs (a malformed request line,
 * headers over the limit, headers that never finish): Node would answer a bare `400 Bad Request`
 * or `431`. This answers them like every other error, with the JSON envelope and the security
 * headers, then closes the connection (the bytes that follow cannot be trusted to frame a request).
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from './http-errors.js';
import type { Logger } from './logger.js';
import { SECURITY_HEADERS } from './middleware/security-headers.js';

/** Status, envelope code and message for a parser error code (Node's `HPE_*` and timeouts). */
export function clientErrorStatus(code: string | undefined): { status: number; code: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'the request headers are too large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' };
  return { status: 400, code: 'BAD_REQUEST', message: 'the request is not valid HTTP/1.1' };
}

/** The raw HTTP/1.1 answer: status line, headers and the JSON envelope. */
export function clientErrorResponse(errorCode: string | undefined, requestId: string): string {
  const { status, code, message } = clientErrorStatus(errorCode);
  const body: ErrorBody = { error: { code, message, requestId } };
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    Connection: 'close',
    'X-Request-Id': requestId,
    ...SECURITY_HEADERS,
  };
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n${text}`;
}

/**
 * A `clientError` listener for a node:http server. A socket that is gone, or on which an answer
 * has already begun, is only destroyed (nothing can be said on it any more).
 */
export function clientErrorHandler(logger: Logger): (err: Error & { code?: string }, socket: Duplex) => void {
  return (err, socket) => {
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (err.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    logger.info({ requestId, parserError: err.code ?? err.name, status: clientErrorStatus(err.code).status }, 'refused a request the HTTP parser could not read');
    socket.end(clientErrorResponse(err.code, requestId));
  };
}
