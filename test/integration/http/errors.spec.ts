import { expect } from 'chai';
import { AmbiguousError, ConflictError, DomainError, ForbiddenError, NotFoundError, SourceError, ValidationError } from '../../../domain/errors.js';
import { SECURITY_HEADERS } from '../../../adapters/inbound/http/middleware/security-headers.js';
import { failingAssistant, startTestServer, type TestServer } from './http-test-kit.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

async function errorOf(r: Response): Promise<ErrorBody['error']> {
  const body = (await r.json()) as ErrorBody;
  expect(Object.keys(body)).to.deep.equal(['error']);
  expect(body.error.requestId).to.equal(r.headers.get('x-request-id'));
  return body.error;
}

class RunLockedError extends DomainError {
  readonly code = 'RUN_LOCKED_BY_POLICY';
}

describe('HTTP API: every error class as one envelope', function () {
  this.timeout(20_000);

  describe('errors of the core, mapped once', () => {
    const cases: { name: string; error: () => unknown; status: number; code: string; details?: Record<string, unknown> }[] = [
      { name: 'ValidationError', error: () => new ValidationError('hours', 'a whole number', 'hours: expected a whole number'), status: 400, code: 'VALIDATION_FAILED', details: { field: 'hours', expected: 'a whole number' } },
      { name: 'NotFoundError', error: () => new NotFoundError('instance', 'wbe-1', ['web-1']), status: 404, code: 'NOT_FOUND', details: { what: 'instance', query: 'wbe-1', suggestions: ['web-1'] } },
      { name: 'AmbiguousError', error: () => new AmbiguousError('instance', 'web', ['i-1', 'i-2']), status: 409, code: 'AMBIGUOUS', details: { query: 'web', candidates: ['i-1', 'i-2'] } },
      { name: 'ForbiddenError', error: () => new ForbiddenError('viewers cannot patch'), status: 403, code: 'FORBIDDEN' },
      { name: 'ConflictError', error: () => new ConflictError('STALE_VERSION', 'the run changed meanwhile'), status: 409, code: 'STALE_VERSION', details: { conflict: 'STALE_VERSION' } },
      { name: 'SourceError (failed)', error: () => new SourceError('inspector2', 'ListFindings', 'access denied: the caller lacks IAM permission', { code: 'AccessDeniedException' }), status: 502, code: 'SOURCE_FAILED', details: { service: 'inspector2', operation: 'ListFindings', sourceCode: 'AccessDeniedException' } },
      { name: 'SourceError (throttled)', error: () => new SourceError('ec2', 'DescribeInstances', 'still throttled after 5 attempts', { code: 'RequestLimitExceeded' }), status: 503, code: 'SOURCE_UNAVAILABLE', details: { service: 'ec2', operation: 'DescribeInstances', sourceCode: 'RequestLimitExceeded' } },
      { name: 'another DomainError', error: () => new RunLockedError('locked by the freeze window'), status: 422, code: 'RUN_LOCKED_BY_POLICY' },
    ];
    for (const c of cases) {
      it(`${c.name} → ${c.status} ${c.code}`, async () => {
        const api = await startTestServer({ assistant: failingAssistant(c.error), cache: false });
        try {
          const r = await api.get('/v1/assets/web-1', 'reader');
          const e = await errorOf(r);

          expect(r.status).to.equal(c.status);
          expect(e.code).to.equal(c.code);
          expect(e.message).to.equal((c.error() as Error).message);
          if (c.details) expect(e.details).to.deep.equal(c.details);
        } finally {
          await api.close();
        }
      });
    }
  });

  describe('an internal error', () => {
    let api: TestServer;
    before(async () => {
      const secret = new TypeError("Cannot read properties of undefined (reading 'findings') at /srv/app/secret-path.js:12");
      api = await startTestServer({ assistant: failingAssistant(() => secret), cache: false });
    });
    after(() => api.close());

    it('is a 500 that names the request id and nothing of the internals; the log has the stack', async () => {
      const r = await api.get('/v1/plan', 'reader', { 'x-request-id': 'trace-500' });
      const text = await r.text();
      const e = (JSON.parse(text) as ErrorBody).error;

      expect(r.status).to.equal(500);
      expect(e).to.deep.equal({ code: 'INTERNAL', message: 'internal error; the server log has the details under request id trace-500', requestId: 'trace-500' });
      expect(text).to.not.match(/secret-path|TypeError|at \//);
      const line = api.logs.lines.find((l) => l.reqId === 'trace-500') as { level: string; status: number; err: { stack: string } };
      expect(line.level).to.equal('error');
      expect(line.status).to.equal(500);
      expect(line.err.stack).to.contain('secret-path');
    });
  });

  describe('errors of the HTTP layer', () => {
    let api: TestServer;
    before(async () => {
      api = await startTestServer({ assistant: failingAssistant(() => new Error('not reached')), limits: { bodyBytes: 1024 } });
    });
    after(() => api.close());

    it('no key → 401 with a WWW-Authenticate challenge; an unknown key → 401', async () => {
      const none = await api.get('/v1/plan');
      const wrong = await api.get('/v1/plan', undefined, { 'x-api-key': 'k-reader-0123456788' });

      expect(none.status).to.equal(401);
      expect(none.headers.get('www-authenticate')).to.equal('ApiKey header="x-api-key"');
      expect(await errorOf(none)).to.include({ code: 'UNAUTHORIZED', message: 'missing API key: send it in the x-api-key header' });
      expect(wrong.status).to.equal(401);
      expect(await errorOf(wrong)).to.include({ code: 'UNAUTHORIZED', message: 'unknown API key' });
    });

    it('a key without the route\'s scope → 403 naming the scope', async () => {
      const r = await api.get('/v1/plan', 'approveOnly');
      const e = await errorOf(r);

      expect(r.status).to.equal(403);
      expect(e.code).to.equal('FORBIDDEN');
      expect(e.message).to.equal('the key "bob" lacks the "read" scope that GET /v1/plan needs');
      expect(e.details).to.deep.equal({ requiredScope: 'read', keyScopes: ['approve'] });
    });

    it('an unknown route → 404 ROUTE_NOT_FOUND (with or without a key)', async () => {
      for (const who of [undefined, 'reader'] as const) {
        const r = await api.get('/v1/nothing-here', who);
        expect(r.status).to.equal(404);
        expect((await errorOf(r)).code).to.equal('ROUTE_NOT_FOUND');
      }
    });

    it('a wrong method → 405 with Allow', async () => {
      const r = await fetch(`${api.base}/v1/patch-runs/run-1`, { method: 'DELETE' });
      const e = await errorOf(r);

      expect(r.status).to.equal(405);
      expect(r.headers.get('allow')).to.equal('HEAD, GET');
      expect(e.code).to.equal('METHOD_NOT_ALLOWED');
      expect(e.details).to.deep.equal({ allowed: ['HEAD', 'GET'] });
    });

    it('an unknown query parameter, a bad value or a repeated scalar → 400 naming the field', async () => {
      const cases: [string, string, string][] = [
        ['/v1/assets?decison=patch-now', 'query.decison', 'query.decison: unknown query parameter'],
        ['/v1/assets?decision=patch-later', 'query.decision[0]', 'query.decision[0]: Invalid option: expected one of "patch-now"|"next-window"|"routine"|"mitigate"|"blocked"|"none", got "patch-later"'],
        ['/v1/assets?limit=0', 'query.limit', 'query.limit: expected a whole number from 1 to 1000, got "0"'],
        ['/v1/assets?limit=ten', 'query.limit', 'query.limit: expected a whole number from 1 to 1000, got "ten"'],
        ['/v1/assets?exposed=yes', 'query.exposed', 'query.exposed: expected true or false, got "yes"'],
        ['/v1/assets?limit=1&limit=2', 'query.limit', 'query.limit: given more than once; give it once'],
        ['/v1/assets/web-1/metrics?hours=0', 'query.hours', 'query.hours: expected a whole number from 1 to 2160, got "0"'],
        ['/v1/assets/web-1/activity?hours=2.5', 'query.hours', 'query.hours: expected a whole number from 1 to 2160, got "2.5"'],
        ['/v1/assets/web-1/findings?minSeverity=severe', 'query.minSeverity', 'query.minSeverity: Invalid option: expected one of "informational"|"low"|"medium"|"high"|"critical", got "severe"'],
        ['/v1/plan?verbose=1', 'query.verbose', 'query.verbose: unknown query parameter'],
        ['/v1/patch-runs/run%201', 'params.id', 'params.id: expected a run id (letters, digits, . _ : -), got "run 1"'],
      ];
      for (const [path, field, message] of cases) {
        const r = await api.get(path, 'reader');
        const e = await errorOf(r);
        expect(r.status, path).to.equal(400);
        expect(e.code, path).to.equal('VALIDATION_FAILED');
        expect(e.details?.field, path).to.equal(field);
        expect(e.message, path).to.equal(message);
      }
    });

    it('a body that is not JSON → 400 INVALID_JSON; not application/json → 415; over the limit → 413', async () => {
      const bad = await api.post('/v1/patch-runs', '{"instances": [', 'operator');
      const form = await api.post('/v1/patch-runs', 'instances=web-1', 'operator', { 'content-type': 'application/x-www-form-urlencoded' });
      const big = await api.post('/v1/patch-runs', { instances: ['web-1'], reason: 'x'.repeat(2000) }, 'operator');

      expect(bad.status).to.equal(400);
      expect(await errorOf(bad)).to.include({ code: 'INVALID_JSON' });
      expect(form.status).to.equal(415);
      expect(await errorOf(form)).to.include({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(big.status).to.equal(413);
      const e = await errorOf(big);
      expect(e).to.include({ code: 'PAYLOAD_TOO_LARGE', message: 'request body larger than 1024 bytes' });
    });

    it('a chunked body over the limit → 413 without buffering it', async () => {
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(`{"reason":"${'y'.repeat(400)}",`));
          controller.close();
        },
      });
      const r = await fetch(`${api.base}/v1/patch-runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'k-operator-0123456789' },
        body: chunks,
        duplex: 'half',
      } as RequestInit);

      expect(r.status).to.equal(413);
    });
  });

  describe('headers on every answer', () => {
    let api: TestServer;
    before(async () => {
      api = await startTestServer({ assistant: failingAssistant(() => new NotFoundError('instance', 'x')) });
    });
    after(() => api.close());

    it('security headers on successes and errors alike', async () => {
      for (const r of [await api.get('/health'), await api.get('/v1/assets/x', 'reader'), await api.get('/nope')]) {
        for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(r.headers.get(k), `${r.url} ${k}`).to.equal(v);
      }
    });

    it('x-request-id: a sane one is echoed, a missing one generated, an unsafe one replaced', async () => {
      const echoed = await api.get('/health', undefined, { 'x-request-id': 'lb-Root=1-67891233-abcdef012345678912345678' });
      const generated = await api.get('/health');
      const unsafe = await api.get('/health', undefined, { 'x-request-id': 'evil" injected=1' });

      expect(echoed.headers.get('x-request-id')).to.equal('lb-Root=1-67891233-abcdef012345678912345678');
      expect(generated.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
      expect(unsafe.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    });
  });
});
