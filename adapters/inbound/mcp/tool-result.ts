/**
 * Tool results: structured content with a one-paragraph summary, or a tool error (isError) whose
 * message names the offending argument. The MCP adapter maps errors here, once (by kind, not class
 * identity: see domain/errors.ts); nothing a tool
 * throws reaches the transport, so a bad call never takes the server down.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type * as z from 'zod';
import { isAmbiguousError, isDomainError, isForbiddenError, isNotFoundError, isSourceError, isValidationError } from '../../../domain/errors.js';

/** A successful result: `value` parsed through the output schema (extra keys dropped). */
export function ok(schema: z.ZodType, value: unknown, summary: string): CallToolResult {
  const structuredContent = schema.parse(value) as Record<string, unknown>;
  return { content: [{ type: 'text', text: summary }], structuredContent };
}

/** The tool argument an error is about, when it is about one. */
export function fieldOf(err: unknown): string | null {
  if (isValidationError(err)) return err.field;
  if (isAmbiguousError(err)) return 'instance';
  if (isNotFoundError(err)) {
    if (err.what === 'instance') return 'instance';
    if (err.what.startsWith('finding')) return 'vulnerabilityId';
    if (err.what === 'risk acceptance') return 'acceptance';
  }
  return null;
}

/** One line an agent (and the person reading its transcript) can act on. */
export function errorMessage(err: unknown): string {
  const field = fieldOf(err);
  if (isValidationError(err)) {
    // Core messages lead with the field as the CLI spells it ("min-severity: ..."); lead with
    // the argument name the tool takes instead.
    return err.message.startsWith(`${err.field}:`) ? err.message : `${err.field}: ${err.message.replace(/^[\w.-]+: /, '')}`;
  }
  if (field !== null && isDomainError(err)) return `${field}: ${err.message}`;
  if (isForbiddenError(err)) return `forbidden: ${err.message}`;
  if (isSourceError(err)) return `data source failed (${err.service}${err.operation ? ` ${err.operation}` : ''}, ${err.code}): ${err.message}`;
  if (isDomainError(err)) return `${err.code}: ${err.message}`;
  return `internal error: ${err instanceof Error ? err.message : String(err)}`;
}

/** A tool error result; unexpected errors (bugs) are also logged with their stack. */
export function toolError(err: unknown, log: (line: string) => void): CallToolResult {
  if (!(isDomainError(err)) && err instanceof Error) log(`mcp: internal error: ${err.stack ?? err.message}`);
  return { content: [{ type: 'text', text: errorMessage(err) }], isError: true };
}

/** One tool: its schemas, whether it only reads, and what it does with valid arguments. */
export interface ToolSpec<I extends z.ZodObject, O extends z.ZodObject> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly readOnly: boolean;
  run(args: z.output<I>): Promise<{ readonly value: z.output<O>; readonly summary: string }>;
}

/** Registers a tool whose failures come back as tool errors. */
export function addTool<I extends z.ZodObject, O extends z.ZodObject>(server: McpServer, spec: ToolSpec<I, O>, log: (line: string) => void): void {
  server.registerTool(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.input,
      outputSchema: spec.output,
      annotations: spec.readOnly
        ? { title: spec.title, readOnlyHint: true, openWorldHint: false }
        : { title: spec.title, readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    // The SDK types the callback over its own schema union; the arguments are z.output<I>.
    (async (args: z.output<I>): Promise<CallToolResult> => {
      try {
        const r = await spec.run(args);
        return ok(spec.output, r.value, r.summary);
      } catch (err) {
        return toolError(err, log);
      }
    }) as unknown as ToolCallback<I>,
  );
}
