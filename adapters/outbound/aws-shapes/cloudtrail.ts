/** CloudTrail LookupEvents output to domain change events. */
import type { ChangeEvent } from '../../../domain/fleet-facts.js';
import type { JsonObject, ShapeContext } from './read.js';
import { asObject, fail, isObject, optBoolean, optObject, optString, reqString, reqTimestamp } from './read.js';

const CTX: ShapeContext = { service: 'cloudtrail', operation: 'LookupEvents' };

/**
 * Maps one LookupEvents `Events[]` entry, reading the fields that matter from its CloudTrailEvent
 * JSON string (userIdentity.type and arn, sourceIPAddress, userAgent, errorCode, errorMessage,
 * readOnly, awsRegion). An entry without CloudTrailEvent maps with those fields null.
 * @param path JSON path of `raw`, for errors, e.g. `$.Events[4]`.
 * @throws ShapeError when a field has the wrong type or CloudTrailEvent is not a JSON object.
 */
export function mapCloudTrailEvent(raw: unknown, path: string): ChangeEvent {
  const o = asObject(CTX, raw, path);
  const detail = parseDetail(o, path);
  const dPath = `${path}.CloudTrailEvent`;
  const identity = detail === null ? null : optObject(CTX, detail, 'userIdentity', dPath);
  const readOnly = detail === null ? null : optBoolean(CTX, detail, 'readOnly', dPath);
  return {
    eventId: reqString(CTX, o, 'EventId', path),
    eventName: reqString(CTX, o, 'EventName', path),
    eventSource: optString(CTX, o, 'EventSource', path) ?? (detail === null ? null : optString(CTX, detail, 'eventSource', dPath)),
    eventTime: reqTimestamp(CTX, o, 'EventTime', path),
    username: optString(CTX, o, 'Username', path),
    userIdentityType: identity === null ? null : optString(CTX, identity, 'type', `${dPath}.userIdentity`),
    userArn: identity === null ? null : optString(CTX, identity, 'arn', `${dPath}.userIdentity`),
    sourceIpAddress: detail === null ? null : optString(CTX, detail, 'sourceIPAddress', dPath),
    userAgent: detail === null ? null : optString(CTX, detail, 'userAgent', dPath),
    errorCode: detail === null ? null : optString(CTX, detail, 'errorCode', dPath),
    errorMessage: detail === null ? null : optString(CTX, detail, 'errorMessage', dPath),
    readOnly: readOnly ?? optBoolean(CTX, o, 'ReadOnly', path),
    awsRegion: detail === null ? null : optString(CTX, detail, 'awsRegion', dPath),
  };
}

// LookupEvents returns the full record as a JSON string; a capture edited by hand may hold the
// object itself, which is accepted too.
function parseDetail(o: JsonObject, path: string): JsonObject | null {
  const v = o.CloudTrailEvent;
  if (v === undefined || v === null) return null;
  if (isObject(v)) return v;
  if (typeof v !== 'string') return fail(CTX, `${path}.CloudTrailEvent`, 'a JSON string', v);
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return fail(CTX, `${path}.CloudTrailEvent`, 'a string holding a JSON object', v);
  }
  return asObject(CTX, parsed, `${path}.CloudTrailEvent`);
}
