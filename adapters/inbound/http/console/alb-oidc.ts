/**
 * The identity an Application Load Balancer passes after its OIDC authentication: the
 * `x-amzn-oidc-data` header, a JWT signed by the load balancer (ES256). It is trusted only after
 * its signature checks out against the public key the ALB publishes for the token's `kid`
 * (https://public-keys.auth.elb.REGION.amazonaws.com/KID, a PEM), its `signer` is the expected
 * load balancer's ARN and it has not expired. Anyone who reaches the task without the ALB can
 * send the header; only the ALB can sign it.
 */
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { Clock } from '../../../../ports/outbound/clock.port.js';

export const ALB_OIDC_HEADER = 'x-amzn-oidc-data';
export const DEFAULT_ALB_KEY_URL = 'https://public-keys.auth.elb.{region}.amazonaws.com/{kid}';

export interface AlbOidcOptions {
  /** The ARN of the load balancer that signs (the token's `signer`); anything else is refused. */
  readonly signerArn: string;
  /** Where the public key of a `kid` is: `{region}` and `{kid}` are filled in. Tests point it at loopback. */
  readonly keyUrl?: string;
  /** The claim that names the person, looked up in the policy's access.actors (default email). */
  readonly identityClaim?: string;
  readonly clock: Clock;
  /** Fetches a key's PEM (default: fetch with a 5 s timeout). */
  readonly fetchKey?: (url: string) => Promise<string>;
}

/** A verified identity. */
export interface AlbIdentity {
  readonly id: string;
  readonly displayName?: string;
}

/** The header was there but is not to be trusted; the message says why (safe to show). */
export class AlbTokenError extends Error {
  override readonly name = 'AlbTokenError';
}

const ARN = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[0-9a-f]+$/;
const KID = /^[A-Za-z0-9-]{1,128}$/;
const MAX_TOKEN = 16 * 1024;
const MAX_KEYS = 64;
/** After a failed key fetch, that kid is refused without fetching again for this long. */
export const KEY_RETRY_MS = 30_000;

/** The region of a load balancer ARN; throws naming the setting when it is not one. */
export function regionOfSigner(arn: string): string {
  const m = ARN.exec(arn);
  if (!m?.[1]) throw new AlbTokenError(`SRE_OPS_ALB_SIGNER_ARN: expected an application load balancer ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID), got "${arn}"`);
  return m[1];
}

async function defaultFetchKey(url: string): Promise<string> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return r.text();
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  try {
    // The ALB pads its base64url segments; Node's decoder takes either form.
    const v = JSON.parse(Buffer.from(segment, 'base64').toString('utf8')) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AlbTokenError(`the ${what} of the ALB token is not JSON`);
}

export class AlbOidcVerifier {
  private readonly keys = new Map<string, Promise<KeyObject>>();
  /** Kids whose fetch failed, until when: a stream of forged kids costs one fetch each per 30 s, not one per request. */
  private readonly failed = new Map<string, number>();
  private readonly region: string;
  private readonly fetchKey: (url: string) => Promise<string>;

  constructor(private readonly options: AlbOidcOptions) {
    this.region = regionOfSigner(options.signerArn);
    this.fetchKey = options.fetchKey ?? defaultFetchKey;
  }

  private key(kid: string): Promise<KeyObject> {
    const until = this.failed.get(kid);
    if (until !== undefined && this.options.clock.now() < until) return Promise.reject(new Error('the last fetch failed; retried after 30 s'));
    let key = this.keys.get(kid);
    if (!key) {
      const url = (this.options.keyUrl ?? DEFAULT_ALB_KEY_URL).replace('{region}', this.region).replace('{kid}', encodeURIComponent(kid));
      key = this.fetchKey(url).then((pem) => createPublicKey(pem));
      // A failed fetch is not kept: a request after KEY_RETRY_MS tries again.
      key.catch(() => {
        this.keys.delete(kid);
        if (this.failed.size >= MAX_KEYS) this.failed.delete(this.failed.keys().next().value as string);
        this.failed.set(kid, this.options.clock.now() + KEY_RETRY_MS);
      });
      if (this.keys.size >= MAX_KEYS) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(kid, key);
    }
    return key;
  }

  /** The identity in a token, once it is verified. @throws AlbTokenError saying what is wrong. */
  async verify(token: string): Promise<AlbIdentity> {
    if (token.length > MAX_TOKEN) throw new AlbTokenError('the ALB token is too long');
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_+/=-]+$/.test(p))) throw new AlbTokenError('the ALB token is not a JWT (three base64url parts)');
    const [h = '', p = '', s = ''] = parts;
    const header = decodeJson(h, 'header');
    if (header.alg !== 'ES256') throw new AlbTokenError(`the ALB token's alg is ${JSON.stringify(header.alg)}, expected "ES256"`);
    if (header.signer !== this.options.signerArn) throw new AlbTokenError('the ALB token was signed by another load balancer (its signer is not SRE_OPS_ALB_SIGNER_ARN)');
    const kid = typeof header.kid === 'string' ? header.kid : '';
    if (!KID.test(kid)) throw new AlbTokenError('the ALB token has no valid kid');
    let key: KeyObject;
    try {
      key = await this.key(kid);
    } catch (err) {
      throw new AlbTokenError(`the ALB public key ${kid} could not be fetched (${(err as Error).message})`);
    }
    const signature = Buffer.from(s, 'base64');
    const ok = signature.length === 64 && verifySignature('sha256', Buffer.from(`${h}.${p}`, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (!ok) throw new AlbTokenError('the ALB token\'s signature does not verify');
    const payload = decodeJson(p, 'payload');
    const exp = typeof payload.exp === 'number' ? payload.exp : typeof header.exp === 'number' ? header.exp : null;
    if (exp === null) throw new AlbTokenError('the ALB token has no expiry');
    if (this.options.clock.now() >= exp * 1000) throw new AlbTokenError('the ALB token has expired');
    const claim = this.options.identityClaim ?? 'email';
    const id = payload[claim];
    if (typeof id !== 'string' || id.trim() === '') throw new AlbTokenError(`the ALB token carries no "${claim}" claim to name the person`);
    const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name.trim() : undefined;
    return { id: id.trim(), ...(name ? { displayName: name } : {}) };
  }
}
