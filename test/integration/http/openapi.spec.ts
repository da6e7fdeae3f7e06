import { expect } from 'chai';
import { z } from 'zod';
import type { OpenApiDocument } from '../../../adapters/inbound/http/openapi.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import { demoAssistant, FakePatchOperations, startTestServer, withPatchOperations, type TestServer } from './http-test-kit.js';

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** "GET /v1/assets/{instance}" for every operation the router really serves (HEAD is implied by GET). */
function routerOperations(api: TestServer): string[] {
  return api.app.router.stack.flatMap((layer) =>
    layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
  );
}

function documentedOperations(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
}

/**
 * A validator for one documented schema, built from the served document itself: its
 * components become $defs, so the check is against what clients read, not against our code.
 */
function validatorFor(doc: OpenApiDocument, schema: Json): z.ZodType {
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/')) as Json;
  const root = JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/')) as Json;
  return z.fromJSONSchema({ ...root, $defs: defs } as Parameters<typeof z.fromJSONSchema>[0]);
}

describe('OpenAPI 3.1 document: consistent with the router and with real answers', function () {
  this.timeout(60_000);
  let demo: Assistant;
  let dispose: () => Promise<void>;
  let api: TestServer;
  let doc: OpenApiDocument;

  before(async () => {
    ({ assistant: demo, dispose } = await demoAssistant());
    api = await startTestServer({ assistant: withPatchOperations(demo, new FakePatchOperations()), limits: { perSecond: 10_000, burst: 10_000 } });
    const r = await api.get('/openapi.json');
    expect(r.status).to.equal(200);
    doc = (await r.json()) as OpenApiDocument;
  });
  after(async () => {
    await api.close();
    await dispose();
  });

  it('is served without a key and is an OpenAPI 3.1 document whose every $ref resolves', () => {
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.components.securitySchemes.apiKey).to.deep.equal({ type: 'apiKey', in: 'header', name: 'x-api-key', description: 'an API key; its SHA-256 is configured on the server with a name and scopes' });
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.length).to.be.greaterThan(20);
    for (const ref of new Set(refs)) {
      expect(ref, ref).to.match(/^#\/components\/schemas\//);
      expect(doc.components.schemas, ref).to.have.property(ref.slice('#/components/schemas/'.length));
    }
    const ids = documentedOperations(doc).map((op) => {
      const [m, p] = op.split(' ') as [string, string];
      return (doc.paths[p] as Json)[m.toLowerCase()] as { operationId: string };
    }).map((o) => o.operationId);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('documents every route the router serves, and the router serves every documented route', () => {
    const served = routerOperations(api).sort();
    const documented = documentedOperations(doc).sort();

    expect(served).to.deep.equal(documented);
    expect(documented).to.include.members([
      'GET /health', 'GET /ready', 'GET /openapi.json', 'GET /v1/assets', 'GET /v1/assets/{instance}', 'GET /v1/assets/{instance}/findings',
      'GET /v1/plan', 'GET /v1/compliance', 'GET /v1/assets/{instance}/metrics', 'GET /v1/assets/{instance}/activity', 'POST /v1/patch-runs',
      'GET /v1/patch-runs', 'GET /v1/patch-runs/{id}', 'POST /v1/patch-runs/{id}/approve', 'POST /v1/patch-runs/{id}/reject',
      'POST /v1/acceptances', 'POST /v1/acceptances/{id}/revoke', 'GET /v1/acceptances', 'GET /v1/audit', 'GET /v1/audit/verify', 'GET /v1/autopilot', 'GET /v1/changes', 'GET /v1/trend',
    ]);
  });

  it('documents /mcp when the composition root mounts it, and /mcp answers', async () => {
    const withMcp = await startTestServer({
      assistant: demo,
      mcp: async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{}}');
      },
    });
    try {
      const mcpDoc = (await (await withMcp.get('/openapi.json')).json()) as OpenApiDocument;
      const r = await withMcp.post('/mcp', { jsonrpc: '2.0', id: 1, method: 'ping' }, 'reader');

      expect(documentedOperations(mcpDoc).filter((o) => !routerOperations(withMcp).includes(o))).to.deep.equal(['POST /mcp']);
      expect(r.status).to.equal(200);
      expect(documentedOperations(doc)).to.not.include('POST /mcp');
    } finally {
      await withMcp.close();
    }
  });

  it('every keyed operation documents 401, 403 and 429 and names its scope; public ones have no security', () => {
    for (const op of documentedOperations(doc)) {
      const [m, p] = op.split(' ') as [string, string];
      const o = (doc.paths[p] as Json)[m.toLowerCase()] as { security: unknown[]; responses: Json; 'x-required-scope': string | null };
      if (o['x-required-scope'] === null) {
        expect(o.security, op).to.deep.equal([]);
      } else {
        expect(o.security, op).to.deep.equal([{ apiKey: [] }]);
        expect(Object.keys(o.responses), op).to.include.members(['401', '403', '429', '500']);
      }
    }
  });

  it('real answers of every operation (successes and errors) match the schema documented for their status', async () => {
    const run = (await (await api.post('/v1/patch-runs', { instances: ['web-1'] }, 'operator')).json()) as { id: string };
    const run2 = (await (await api.post('/v1/patch-runs', { fromPlan: true }, 'operator')).json()) as { id: string };
    const acceptance = (await (await api.post('/v1/acceptances', { vulnerabilityId: 'CVE-2024-6387', instance: 'web-1', until: '2027-03-01', reason: 'to revoke', force: true }, 'approver')).json()) as { id: string };
    const calls: [string, string, () => Promise<Response>][] = [
      ['GET', '/health', () => api.get('/health')],
      ['GET', '/ready', () => api.get('/ready')],
      ['GET', '/openapi.json', () => api.get('/openapi.json')],
      ['GET', '/v1/assets', () => api.get('/v1/assets?limit=3', 'reader')],
      ['GET', '/v1/assets', () => api.get('/v1/assets?limit=nope', 'reader')],
      ['GET', '/v1/assets', () => api.get('/v1/assets')],
      ['GET', '/v1/assets/{instance}', () => api.get('/v1/assets/legacy-reports', 'reader')],
      ['GET', '/v1/assets/{instance}', () => api.get('/v1/assets/no-such-box', 'reader')],
      ['GET', '/v1/assets/{instance}/findings', () => api.get('/v1/assets/bastion/findings?minSeverity=medium', 'reader')],
      ['GET', '/v1/assets/{instance}/metrics', () => api.get('/v1/assets/api-2/metrics?hours=48', 'reader')],
      ['GET', '/v1/assets/{instance}/activity', () => api.get('/v1/assets/bastion/activity?hours=336', 'reader')],
      ['GET', '/v1/plan', () => api.get('/v1/plan', 'reader')],
      ['GET', '/v1/plan', () => api.get('/v1/plan', 'approveOnly')],
      ['GET', '/v1/compliance', () => api.get('/v1/compliance', 'reader')],
      ['POST', '/v1/patch-runs', () => api.post('/v1/patch-runs', { instances: ['db-primary'], dryRun: true }, 'operator')],
      ['POST', '/v1/patch-runs', () => api.post('/v1/patch-runs', { instances: [] }, 'operator')],
      ['POST', '/v1/patch-runs', () => api.post('/v1/patch-runs', 'x=1', 'operator', { 'content-type': 'text/plain' })],
      ['GET', '/v1/patch-runs', () => api.get('/v1/patch-runs?status=requested', 'reader')],
      ['GET', '/v1/patch-runs/{id}', () => api.get(`/v1/patch-runs/${run.id}`, 'reader')],
      ['GET', '/v1/patch-runs/{id}', () => api.get('/v1/patch-runs/run-999', 'reader')],
      ['POST', '/v1/patch-runs/{id}/approve', () => api.post(`/v1/patch-runs/${run.id}/approve`, { comment: 'ok' }, 'approver')],
      ['POST', '/v1/patch-runs/{id}/approve', () => api.post(`/v1/patch-runs/${run.id}/approve`, {}, 'approver')],
      ['POST', '/v1/patch-runs/{id}/reject', () => api.post(`/v1/patch-runs/${run2.id}/reject`, { reason: 'not now' }, 'approver')],
      ['POST', '/v1/acceptances', () => api.post('/v1/acceptances', { vulnerabilityId: 'CVE-2024-6387', instance: null, until: '2027-03-01T00:00:00Z', reason: 'compensating control' }, 'approver')],
      ['POST', '/v1/acceptances/{id}/revoke', () => api.post(`/v1/acceptances/${acceptance.id}/revoke`, {}, 'approver')],
      ['POST', '/v1/acceptances/{id}/revoke', () => api.post(`/v1/acceptances/${acceptance.id}/revoke`, {}, 'approver')],
      ['POST', '/v1/acceptances/{id}/revoke', () => api.post('/v1/acceptances/acc-unknown/revoke', {}, 'approver')],
      ['GET', '/v1/acceptances', () => api.get('/v1/acceptances', 'reader')],
      ['GET', '/v1/audit', () => api.get('/v1/audit?limit=5', 'reader')],
      ['GET', '/v1/audit/verify', () => api.get('/v1/audit/verify', 'reader')],
      ['GET', '/v1/autopilot', () => api.get('/v1/autopilot', 'reader')],
      ['GET', '/v1/changes', () => api.get('/v1/changes?since=7d', 'reader')],
      ['GET', '/v1/changes', () => api.get('/v1/changes?since=soon', 'reader')],
      ['GET', '/v1/trend', () => api.get('/v1/trend?days=7', 'reader')],
    ];
    const exercised = new Set<string>();
    for (const [method, path, call] of calls) {
      const r = await call();
      const body = (await r.json()) as unknown;
      const op = (doc.paths[path] as Json | undefined)?.[method.toLowerCase()] as { responses: Record<string, { content: { 'application/json': { schema: Json } } }> } | undefined;
      const documented = op?.responses[String(r.status)];
      expect(documented, `${method} ${path} answered ${r.status}, which its operation does not document`).to.not.equal(undefined);
      const check = validatorFor(doc, (documented as { content: { 'application/json': { schema: Json } } }).content['application/json'].schema).safeParse(body);
      expect(check.success, `${method} ${path} ${r.status}: ${check.success ? '' : z.prettifyError(check.error)}`).to.equal(true);
      if (r.status < 300) exercised.add(`${method} ${path}`);
    }

    expect([...exercised].sort()).to.deep.equal(documentedOperations(doc).sort());
  });

  it('the check has teeth: a wrong value deep inside, or an undocumented field, fails the documented schema', async () => {
    const list = (doc.paths['/v1/assets'] as Json).get as { responses: Record<string, { content: { 'application/json': { schema: Json } } }> };
    const validate = validatorFor(doc, list.responses['200']!.content['application/json'].schema);
    const real = (await (await api.get('/v1/assets?limit=1&include=findings', 'reader')).json()) as { assets: { findings: Json[] }[] } & Json;
    const clone = (): typeof real => JSON.parse(JSON.stringify(real)) as typeof real;
    const badSsvc = clone();
    badSsvc.assets[0]!.findings[0]!.ssvc = 'maybe';
    const extra = clone();
    extra.assets[0]!.findings[0]!.internalNote = 'x';
    const missing = clone();
    delete missing.page;

    expect(validate.safeParse(real).success).to.equal(true);
    expect(validate.safeParse(badSsvc).success).to.equal(false);
    expect(validate.safeParse(extra).success).to.equal(false);
    expect(validate.safeParse(missing).success).to.equal(false);
  });
});
