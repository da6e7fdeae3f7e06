/**
 * Options of the assistant (library and CLI alike), validated into a resolved configuration.
 * Every error names the option and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../domain/errors.js';
import type { RiskAcceptance } from '../domain/inputs.js';
import { DEFAULT_POLICY, resolvePolicy, type Policy } from '../domain/policy.js';
import type { Instant } from '../domain/time.js';
import type { CoreDependencies } from '../ports/inbound/dependencies.js';

/** Live AWS settings, the way AWS tools take them. */
export interface AwsOptions {
  readonly region?: string;
  readonly profile?: string;
  /** e.g. http://127.0.0.1:5000 for moto or LocalStack. */
  readonly endpointUrl?: string;
  /** A role to assume for every call. */
  readonly roleArn?: string;
  /** Attempts per call, adaptive retry (default 5). */
  readonly maxAttempts?: number;
}

/** Outbound adapters a caller may replace (typed against the ports). */
export type OutboundAdapters = Omit<CoreDependencies, 'policy' | 'source'>;

export interface AssistantOptions {
  /** "demo" (the bundled demo fleet, the default), "snapshot:DIR" or "aws". */
  readonly source?: string;
  /** A policy override merged onto the defaults (validated; unknown keys refused). */
  readonly policy?: unknown;
  /** A policy JSON file merged onto the defaults (after `policy`). */
  readonly policyFile?: string;
  /** A CISA KEV JSON file (with aws also a URL). Default: the snapshot's kev.json if present. */
  readonly kev?: string;
  /** Assess as of this instant instead of the clock (ISO string, epoch ms or Date). */
  readonly now?: string | number | Date;
  readonly aws?: AwsOptions;
  /** Replace any outbound adapter, e.g. findings from another scanner. */
  readonly adapters?: Partial<OutboundAdapters>;
  /** Where the KEV feed is cached (default $XDG_CACHE_HOME/sre-ops-assistant, or SRE_OPS_CACHE_DIR). */
  readonly cacheDir?: string;
  /** Risk acceptances in force (until the durable state store is configured). */
  readonly acceptances?: readonly RiskAcceptance[];
}

export type SourceSpec =
  | { readonly kind: 'demo'; readonly dir: string }
  | { readonly kind: 'snapshot'; readonly dir: string }
  | { readonly kind: 'aws' };

/** The bundled demo fleet, found beside the package (dist/composition/ → package root). */
export const DEMO_FLEET_DIR = fileURLToPath(new URL('../../examples/demo-fleet/', import.meta.url));

export function parseSource(source: string | undefined): SourceSpec {
  const s = (source ?? 'demo').trim();
  if (s === 'demo') return { kind: 'demo', dir: DEMO_FLEET_DIR };
  if (s === 'aws') return { kind: 'aws' };
  if (s.startsWith('snapshot:')) {
    const dir = s.slice('snapshot:'.length);
    if (!dir) throw new ValidationError('source', 'snapshot:DIR with a folder', 'source: "snapshot:" needs a folder, e.g. snapshot:./capture');
    return { kind: 'snapshot', dir };
  }
  throw new ValidationError('source', 'demo, snapshot:DIR or aws', `source: expected demo, snapshot:DIR or aws, got "${s}"`);
}

export function parseNow(now: string | number | Date | undefined): Instant | undefined {
  if (now === undefined) return undefined;
  const t = now instanceof Date ? now.getTime() : typeof now === 'number' ? now : Date.parse(now);
  // Date.parse accepts many forms; insist on something that looks like ISO 8601 from a person.
  if (typeof now === 'string' && !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(now.trim())) {
    throw new ValidationError('now', 'an ISO 8601 date or date-time, e.g. 2026-11-20T12:00:00Z', `now: expected an ISO 8601 date-time such as 2026-11-20T12:00:00Z, got "${now}"`);
  }
  if (!Number.isFinite(t)) throw new ValidationError('now', 'an ISO 8601 date-time', `now: expected an ISO 8601 date-time, got "${String(now)}"`);
  return t;
}

/** Defaults, then `policy`, then the policy file. Errors name the file and the key. */
export async function loadPolicy(options: Pick<AssistantOptions, 'policy' | 'policyFile'>): Promise<Policy> {
  let policy = options.policy === undefined ? DEFAULT_POLICY : resolvePolicy(options.policy);
  if (options.policyFile) {
    let text: string;
    try {
      text = await readFile(options.policyFile, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ValidationError('policy', 'a readable JSON file', `policy file ${options.policyFile}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(err)})`}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ValidationError('policy', 'valid JSON', `policy file ${options.policyFile}: not valid JSON (${(err as Error).message})`);
    }
    try {
      policy = resolvePolicy(json, policy);
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError(err.field, err.expected, `policy file ${options.policyFile}: ${err.message.replace(/^policy /, '')}`);
      throw err;
    }
  }
  return policy;
}
