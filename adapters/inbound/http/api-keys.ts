/**
 * API keys: configured as SHA-256 hashes (the server never holds a key), each with a name and
 * scopes. The name is the actor recorded in the audit log; scopes become the actor's roles.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Actor, Role } from '../../../domain/access/actor.js';
import { ValidationError } from '../../../domain/errors.js';

export const SCOPES = ['read', 'operate', 'approve'] as const;
export type Scope = (typeof SCOPES)[number];

/** One configured key, as SRE_OPS_API_KEYS and --api-keys FILE give it. */
export interface ApiKeyConfig {
  /** Becomes the actor id in the audit log, so it is restricted to a log-safe alphabet. */
  readonly name: string;
  /** Hex SHA-256 of the key. */
  readonly sha256: string;
  readonly scopes: readonly Scope[];
}

const ROLE_OF: Readonly<Record<Scope, Role>> = { read: 'viewer', operate: 'operator', approve: 'approver' };

const KEY_LIST = z.array(
  z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$/, 'expected 1 to 64 letters, digits or . _ @ : - (it is the actor name in the audit log)'),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected the key\'s SHA-256 as 64 hex digits (e.g. `printf %s "$KEY" | sha256sum`)'),
    scopes: z.array(z.enum(SCOPES, { error: `expected scopes among ${SCOPES.join(', ')}` })).min(1, 'expected at least one scope'),
  }),
  { error: 'expected a JSON array of { "name", "sha256", "scopes" }' },
);

/**
 * Validates a key list; `origin` names where it came from ("SRE_OPS_API_KEYS", the file) so the
 * error says what to fix: `SRE_OPS_API_KEYS[1].sha256: expected ...`. Names and hashes must be unique.
 */
export function parseApiKeys(json: unknown, origin: string): ApiKeyConfig[] {
  const r = KEY_LIST.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const field = `${origin}${path}`;
    throw new ValidationError(field, issue?.message ?? 'a valid key list', `${field}: ${issue?.message ?? 'invalid'}`);
  }
  const keys = r.data.map((k) => ({ name: k.name, sha256: k.sha256.toLowerCase(), scopes: [...new Set(k.scopes)] }));
  keys.forEach((k, i) => {
    if (keys.findIndex((o) => o.name === k.name) !== i) throw new ValidationError(`${origin}[${i}].name`, 'a unique name', `${origin}[${i}].name: "${k.name}" is used twice; names identify actors in the audit log`);
    if (keys.findIndex((o) => o.sha256 === k.sha256) !== i) throw new ValidationError(`${origin}[${i}].sha256`, 'a unique key', `${origin}[${i}].sha256: the same key is configured twice (as "${keys.find((o) => o.sha256 === k.sha256)?.name}" and "${k.name}")`);
  });
  return keys;
}

/** Parses JSON text of a key list; a syntax error names the origin too. */
export function parseApiKeysText(text: string, origin: string): ApiKeyConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(origin, 'JSON', `${origin}: not valid JSON (${(err as Error).message})`);
  }
  return parseApiKeys(json, origin);
}

/** The hex SHA-256 of a key, as it is configured. */
export function sha256Hex(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** An authenticated caller: the key's name and scopes, and the actor the use cases see. */
export interface ApiPrincipal {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly actor: Actor;
}

export function principalFor(key: Pick<ApiKeyConfig, 'name' | 'scopes'>): ApiPrincipal {
  return { name: key.name, scopes: key.scopes, actor: { id: key.name, roles: key.scopes.map((s) => ROLE_OF[s]), via: 'http' } };
}

/** Longer than any sane key; refusing earlier keeps a hostile header from costing a hash of megabytes. */
const MAX_KEY_LENGTH = 512;

/** Looks a presented key up among the configured hashes. */
export class ApiKeyVerifier {
  private readonly entries: readonly { readonly digest: Buffer; readonly principal: ApiPrincipal }[];

  constructor(keys: readonly ApiKeyConfig[]) {
    this.entries = keys.map((k) => ({ digest: Buffer.from(k.sha256, 'hex'), principal: principalFor(k) }));
  }

  /** The principal of the key configured under `name` now, or null (a console session names its key). */
  byName(name: string): ApiPrincipal | null {
    return this.entries.find((e) => e.principal.name === name)?.principal ?? null;
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The principal of a presented key, or null. The presented key is hashed first, so every
   * comparison is between two 32-byte digests (timingSafeEqual needs equal lengths, and the
   * key's length leaks nothing); every configured key is compared, with no early exit, so the
   * time taken does not tell which one matched or how far a guess got.
   */
  verify(presented: string | undefined): ApiPrincipal | null {
    if (presented === undefined || presented.length === 0 || presented.length > MAX_KEY_LENGTH) return null;
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: ApiPrincipal | null = null;
    for (const e of this.entries) {
      if (timingSafeEqual(digest, e.digest)) found = e.principal;
    }
    return found;
  }
}
