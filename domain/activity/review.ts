/** Which CloudTrail events deserve a person's look, and why (docs/decision-model.md "Activity"). */
import type { ChangeEvent } from '../fleet-facts.js';
import type { Policy } from '../policy.js';
import { cidrContains, parseCidr, parseIp } from './cidr.js';
import type { Cidr } from './cidr.js';

/** Error codes that mean the caller was refused, as opposed to a call that broke. */
const DENIED = /AccessDenied|Unauthorized|Forbidden|NotAuthorized/i;

/**
 * Flags the events worth a look, newest first (ties by event id), each flag with its reason:
 * - root: userIdentity.type Root;
 * - sensitive-call: the event name is in policy.activity.sensitiveEvents (any case);
 * - error: an errorCode is set;
 * - unknown-network: policy.activity.knownNetworks is not empty and the source is an IPv4 or IPv6
 *   address inside none of them. A service principal ("ec2.amazonaws.com", "AWS Internal") is
 *   not an address and is never flagged.
 *
 * @throws ValidationError when a known network is not a CIDR.
 */
export function reviewActivity(events: readonly ChangeEvent[], policy: Policy): ActivitySummary {
  const sensitive = new Set(policy.activity.sensitiveEvents.map((e) => e.toLowerCase()));
  const networks = policy.activity.knownNetworks.map((c, i) => parseCidr(c, `activity.knownNetworks[${i}]`));
  const reviewed = [...events]
    .sort((a, b) => b.eventTime - a.eventTime || a.eventId.localeCompare(b.eventId))
    .map((event): ReviewedEvent => ({ event, flags: flagsOf(event, sensitive, networks) }));
  return { events: reviewed, total: reviewed.length, flagged: reviewed.filter((r) => r.flags.length > 0).length };
}

function flagsOf(event: ChangeEvent, sensitive: ReadonlySet<string>, networks: readonly Cidr[]): ActivityFlag[] {
  const flags: ActivityFlag[] = [];
  if (event.userIdentityType?.toLowerCase() === 'root') {
    flags.push({ kind: 'root', reason: `${event.eventName} was called by the account's root user` });
  }
  if (sensitive.has(event.eventName.toLowerCase())) {
    flags.push({ kind: 'sensitive-call', reason: `${event.eventName} is a destructive or security-relevant call` });
  }
  if (event.errorCode) {
    const detail = event.errorMessage ? ` ("${event.errorMessage}")` : '';
    const reason = DENIED.test(event.errorCode)
      ? `${event.eventName} was refused (${event.errorCode}): the caller tried a call it may not make${detail}`
      : `${event.eventName} failed with ${event.errorCode}${detail}`;
    flags.push({ kind: 'error', reason });
  }
  const source = event.sourceIpAddress === null ? null : parseIp(event.sourceIpAddress);
  if (networks.length > 0 && source !== null && !networks.some((n) => cidrContains(n, source))) {
    flags.push({
      kind: 'unknown-network',
      reason: `called from ${event.sourceIpAddress?.trim()}, outside the known networks (${networks.map((n) => n.text).join(', ')})`,
    });
  }
  return flags;
}

/** Why an event is worth a look: root user, sensitive call, an error code, an unknown network. */
export type FlagKind = 'root' | 'sensitive-call' | 'error' | 'unknown-network';

/** One reason to look at an event, as a sentence a person reads. */
export interface ActivityFlag {
  readonly kind: FlagKind;
  readonly reason: string;
}

/** An event with its flags; no flags: nothing to look at. */
export interface ReviewedEvent {
  readonly event: ChangeEvent;
  readonly flags: readonly ActivityFlag[];
}

/** Every event reviewed, newest first. */
export interface ActivitySummary {
  readonly events: readonly ReviewedEvent[];
  /** Events reviewed. */
  readonly total: number;
  /** Events with at least one flag. */
  readonly flagged: number;
}
