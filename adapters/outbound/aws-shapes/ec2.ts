/** EC2 DescribeInstances output to domain Assets. */
import type { Asset } from '../../../domain/fleet-facts.js';
import type { ShapeContext } from './read.js';
import { asObject, fail, isObject, optArray, optObject, optString, optTimestamp, readTagList, reqArray, reqString } from './read.js';

const CTX: ShapeContext = { service: 'ec2', operation: 'DescribeInstances' };

/** The tag EC2 Auto Scaling puts on the instances it launches. */
export const ASG_TAG = 'aws:autoscaling:groupName';

/**
 * Maps one `Reservations[].Instances[]` entry. Every state is mapped (the caller drops terminated
 * instances); an unknown state name is carried as a string.
 * @param path JSON path of `raw`, for errors, e.g. `$.Reservations[0].Instances[2]`.
 * @throws ShapeError when a field has the wrong JSON type or InstanceId is missing.
 */
export function mapInstance(raw: unknown, path: string): Asset {
  const o = asObject(CTX, raw, path);
  const instanceId = reqString(CTX, o, 'InstanceId', path);
  const tags = readTagList(CTX, optArray(CTX, o, 'Tags', path), `${path}.Tags`);
  const state = optObject(CTX, o, 'State', path);
  const placement = optObject(CTX, o, 'Placement', path);
  return {
    instanceId,
    name: tags.Name ?? null,
    tags,
    state: state === null ? 'unknown' : (optString(CTX, state, 'Name', `${path}.State`) ?? 'unknown'),
    publicIpv4: optString(CTX, o, 'PublicIpAddress', path),
    ipv6: ipv6Addresses(o, path),
    // PlatformDetails ("Linux/UNIX", "Windows", "Red Hat Enterprise Linux" ...) is always set;
    // Platform only for Windows.
    platform: optString(CTX, o, 'PlatformDetails', path) ?? optString(CTX, o, 'Platform', path),
    instanceType: optString(CTX, o, 'InstanceType', path),
    availabilityZone: placement === null ? null : optString(CTX, placement, 'AvailabilityZone', `${path}.Placement`),
    autoScalingGroup: tags[ASG_TAG] ?? null,
    launchTime: optTimestamp(CTX, o, 'LaunchTime', path),
  };
}

/**
 * Maps one DescribeInstances output (a CLI file or one SDK page): every instance of every
 * reservation, in order, terminated ones included.
 * @param path JSON path of `raw`, usually `$`.
 */
export function mapDescribeInstances(raw: unknown, path = '$'): Asset[] {
  const o = asObject(CTX, raw, path);
  const reservations = reqArray(CTX, o, 'Reservations', path);
  const out: Asset[] = [];
  for (let r = 0; r < reservations.length; r++) {
    const rPath = `${path}.Reservations[${r}]`;
    const instances = optArray(CTX, asObject(CTX, reservations[r], rPath), 'Instances', rPath);
    for (let i = 0; i < instances.length; i++) out.push(mapInstance(instances[i], `${rPath}.Instances[${i}]`));
  }
  return out;
}

// The primary IPv6 address (Ipv6Address, newer API versions) and every interface's addresses,
// without duplicates, primary first.
function ipv6Addresses(o: Readonly<Record<string, unknown>>, path: string): string[] {
  const out: string[] = [];
  const primary = optString(CTX, o, 'Ipv6Address', path);
  if (primary !== null && primary !== '') out.push(primary);
  const nics = optArray(CTX, o, 'NetworkInterfaces', path);
  for (let n = 0; n < nics.length; n++) {
    const nic = nics[n];
    if (!isObject(nic)) fail(CTX, `${path}.NetworkInterfaces[${n}]`, 'an object', nic);
    const list = optArray(CTX, nic, 'Ipv6Addresses', `${path}.NetworkInterfaces[${n}]`);
    for (let a = 0; a < list.length; a++) {
      const aPath = `${path}.NetworkInterfaces[${n}].Ipv6Addresses[${a}]`;
      const addr = optString(CTX, asObject(CTX, list[a], aPath), 'Ipv6Address', aPath);
      if (addr !== null && addr !== '' && !out.includes(addr)) out.push(addr);
    }
  }
  return out;
}
