/**
 * The OpenAPI 3.1 document, generated from the route declarations and the zod schemas they
 * validate with. JSON Schema 2020-12 (what zod emits) is OpenAPI 3.1's schema dialect, so the
 * schemas go in unchanged apart from their $id / $schema headers.
 */
import { z } from 'zod';
import { documentedErrors, type ErrorStatus, type Route } from './route.js';
import { errorBodySchema } from './schemas/common-schemas.js';
import { requestSchemas, responseSchemas } from './schemas/registry.js';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOperation {
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly security: readonly Record<string, readonly string[]>[];
  readonly 'x-required-scope': string | null;
  readonly parameters?: readonly JsonSchema[];
  readonly requestBody?: JsonSchema;
  readonly responses: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: { readonly schemas: Record<string, JsonSchema>; readonly securitySchemes: Record<string, JsonSchema> };
}

const COMPONENTS = '#/components/schemas/';

const ERROR_TEXT: Readonly<Record<ErrorStatus, string>> = {
  400: 'a parameter, query or body field is invalid (details.field names it)',
  401: 'no API key, or an unknown one',
  403: 'the key lacks the scope, or the actor the role, this needs',
  404: 'no such instance (details.suggestions lists near matches) or record',
  409: 'a Name tag on several instances (details.candidates), or a record changed meanwhile',
  410: 'the cursor belongs to an assessment that has been replaced (CURSOR_EXPIRED): start again without cursor',
  413: 'request body too large',
  415: 'request body is not application/json',
  422: 'refused by a rule of the core (e.g. approving your own run, a run in the wrong state)',
  429: 'rate limit reached; see Retry-After',
  500: 'internal error; the server log has it under the request id',
  501: 'not available in this build',
  502: 'a data source failed (details.service, details.operation, details.sourceCode)',
  503: 'a data source is throttled or unreachable, or the service is not ready',
};

function components(): Record<string, JsonSchema> {
  const strip = (all: Record<string, JsonSchema>): Record<string, JsonSchema> =>
    Object.fromEntries(Object.entries(all).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
  const uri = (id: string): string => `${COMPONENTS}${id}`;
  const out = z.toJSONSchema(responseSchemas, { target: 'draft-2020-12', io: 'output', uri }).schemas as Record<string, JsonSchema>;
  const inp = z.toJSONSchema(requestSchemas, { target: 'draft-2020-12', io: 'input', uri }).schemas as Record<string, JsonSchema>;
  for (const id of Object.keys(inp)) if (id in out) throw new Error(`invariant: schema id ${id} is both a request and a response`);
  return { ...strip(out), ...strip(inp) };
}

/** A schema as a $ref when registered, inline otherwise. */
function schemaRef(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = (io === 'output' ? responseSchemas : requestSchemas).get(schema)?.id;
  if (id) return { $ref: `${COMPONENTS}${id}` };
  const { $schema: _s, ...inline } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonSchema;
  return inline;
}

function parameters(where: 'path' | 'query', shape: z.ZodObject | undefined): JsonSchema[] {
  if (!shape) return [];
  return Object.entries(shape.shape).map(([name, s]) => {
    const field = s as z.ZodType;
    const { $schema: _s, description, ...schema } = z.toJSONSchema(field, { target: 'draft-2020-12', io: 'input' }) as JsonSchema;
    const array = schema.type === 'array';
    return {
      name,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema,
      ...(array ? { style: 'form', explode: true } : {}),
    };
  });
}

const RATE_HEADERS = {
  RateLimit: { description: 'what is left of each limit (IETF draft-ietf-httpapi-ratelimit-headers)', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'the limits: per-second (token bucket) and per-day', schema: { type: 'string' } },
};

function operation(r: Route): OpenApiOperation {
  const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
  const responses: Record<string, JsonSchema> = {
    [String(r.response.status)]: {
      description: r.response.description,
      content: json(schemaRef(r.response.schema, 'output')),
      ...(r.scope !== null ? { headers: RATE_HEADERS } : {}),
    },
  };
  for (const status of documentedErrors(r)) {
    responses[String(status)] = {
      description: ERROR_TEXT[status],
      content: json(schemaRef(errorBodySchema, 'output')),
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } }, ...RATE_HEADERS } } : {}),
    };
  }
  const params = [...parameters('path', r.params), ...parameters('query', r.query)];
  return {
    operationId: r.operationId,
    tags: [r.tag],
    summary: r.summary,
    ...(r.description || r.scope ? { description: [r.description, r.scope ? `Needs an API key with the \`${r.scope}\` scope.` : undefined].filter(Boolean).join('\n\n') } : {}),
    security: r.scope === null ? [] : [{ apiKey: [] }],
    'x-required-scope': r.scope,
    ...(params.length ? { parameters: params } : {}),
    ...(r.body
      ? { requestBody: { required: !r.body.safeParse({}).success, content: json(schemaRef(r.body, 'input')) } }
      : {}),
    responses,
  };
}

/** Builds the document for these routes. Throws on a path declared twice with one method. */
export function buildOpenApi(routes: readonly Route[], info: { readonly version: string }): OpenApiDocument {
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const r of routes) {
    const item = (paths[r.path] ??= {});
    const method = r.method.toLowerCase();
    if (item[method]) throw new Error(`invariant: ${r.method} ${r.path} is declared twice`);
    item[method] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'sre-ops-assistant',
      version: info.version,
      description:
        'Ranks EC2 instances by vulnerability risk (CISA SSVC, BOD 26-04, EPSS, KEV), plans patching and runs it through Systems Manager. ' +
        'Every error is `{ "error": { "code", "message", "details"?, "requestId" } }`. Rate limits are per API key and per process.',
    },
    paths,
    components: {
      schemas: components(),
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'an API key; its SHA-256 is configured on the server with a name and scopes' } },
    },
  };
}
