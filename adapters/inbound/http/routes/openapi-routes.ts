/** GET /openapi.json: the document, public (it describes the API, not the fleet). */
import { z } from 'zod';
import type { OpenApiDocument } from '../openapi.js';
import { route, type Route } from '../route.js';

// The document is checked by the OpenAPI tests; describing it with itself would add nothing.
const documentSchema = z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.looseObject({}), components: z.looseObject({}) });

export function openApiRoutes(document: () => OpenApiDocument): Route[] {
  return [
    route({
      method: 'GET',
      path: '/openapi.json',
      operationId: 'openApi',
      tag: 'operations',
      summary: 'This document (OpenAPI 3.1)',
      scope: null,
      response: { status: 200, schema: documentSchema, description: 'the OpenAPI document' },
      handle: async () => ({ body: document() }),
    }),
  ];
}
