import { expect } from 'chai';
import { HttpError, mapError, statusFor } from '../../../../../adapters/inbound/http/http-errors.js';
import { SourceError } from '../../../../../domain/errors.js';

describe('mapError', () => {
  it('an unknown error becomes a 500 that says nothing of the error itself', () => {
    const err = new Error('ENOENT: /etc/sre-ops/secret.db');
    err.stack = 'Error: ENOENT\n    at /srv/app/x.js:1:1';
    const m = mapError(err, 'req-1');

    expect(m.status).to.equal(500);
    expect(m.internal).to.equal(true);
    expect(JSON.stringify(m.body)).to.not.match(/ENOENT|secret|\/srv/);
    expect(m.body).to.deep.equal({ error: { code: 'INTERNAL', message: 'internal error; the server log has the details under request id req-1', requestId: 'req-1' } });
  });

  it('non-Error throws and 5xx http-errors without expose are internal too', () => {
    expect(mapError('a string', 'r').status).to.equal(500);
    expect(mapError(Object.assign(new Error('db down'), { status: 503, expose: false }), 'r').body.error.message).to.not.contain('db down');
  });

  it('Koa\'s own client errors (http-errors with expose) keep their status and message', () => {
    const m = mapError(Object.assign(new Error('Request Timeout'), { status: 408, expose: true }), 'r');

    expect(m.status).to.equal(408);
    expect(m.body.error).to.include({ code: 'HTTP_408', message: 'Request Timeout' });
  });

  it('HttpError carries its own status, code, details and headers', () => {
    const m = mapError(new HttpError(429, 'RATE_LIMITED', 'slow down', { limit: 'per-day' }, { 'Retry-After': '60' }), 'r');

    expect(m).to.deep.equal({ status: 429, body: { error: { code: 'RATE_LIMITED', message: 'slow down', details: { limit: 'per-day' }, requestId: 'r' } }, headers: { 'Retry-After': '60' }, internal: false });
  });

  it('SourceError: throttling and network codes are 503 (retry), anything else 502', () => {
    const codes: [string, number][] = [
      ['ThrottlingException', 503], ['RequestLimitExceeded', 503], ['TooManyRequestsException', 503], ['ServiceUnavailable', 503], ['ECONNREFUSED', 503], ['TimeoutError', 503],
      ['AccessDeniedException', 502], ['UnrecognizedClientException', 502], ['SOURCE_FAILED', 502], ['SNAPSHOT_BAD_JSON', 502],
    ];
    for (const [code, status] of codes) expect(statusFor(new SourceError('ec2', 'DescribeInstances', 'x', { code })), code).to.equal(status);
  });
});
