/** The error envelope and the probes' answers. */
import { z } from 'zod';
import type { ErrorBody } from '../http-errors.js';
import { responseSchemas, type SameShape } from './registry.js';

export const errorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe('stable, e.g. VALIDATION_FAILED, UNAUTHORIZED, NOT_FOUND, RATE_LIMITED, SOURCE_FAILED'),
      message: z.string().describe('for people; never a stack trace'),
      details: z.record(z.string(), z.unknown()).optional().describe('e.g. { field } for validation, { suggestions } for an unknown instance'),
      requestId: z.string().describe('the x-request-id of the request, for the server log'),
    }),
  })
  .register(responseSchemas, { id: 'Error' });
const _error: SameShape<typeof errorBodySchema, ErrorBody> = true;

export const healthSchema = z
  .strictObject({ status: z.literal('ok'), version: z.string(), uptimeSeconds: z.number().min(0) })
  .register(responseSchemas, { id: 'Health' });

export const readySchema = z
  .strictObject({ status: z.literal('ready'), source: z.string(), checkedAt: z.string().describe('when the source last answered (ISO 8601)') })
  .register(responseSchemas, { id: 'Ready' });
