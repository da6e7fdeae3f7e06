/**
 * The deployment's inputs, read from CDK context (`-c key=value` or cdk.json) and checked once,
 * so a missing or malformed input fails the synth naming the key and an example.
 */
import { isAbsolute, join } from 'node:path';
import type { Node } from 'constructs';
import { DEFAULT_FLEET_FINDINGS, taskSizeFor } from './task-size.js';

export interface InfraConfig {
  /** The service's name, e.g. sre-ops.example.com; the API answers at api.<domainName>. */
  readonly domainName: string;
  /** The Route 53 hosted zone holding domainName (no lookup: attributes only). */
  readonly hostedZoneId: string;
  /** The zone's name; default domainName (the domain is the zone apex). */
  readonly hostedZoneName: string;
  /** Where alarms are sent (SNS email subscription, confirmed by the recipient). */
  readonly alarmEmail: string;
  /** "production" turns on deletion protection, RETAIN and a NAT gateway per zone. */
  readonly environment: string;
  readonly production: boolean;
  readonly region: string;
  /** Secrets Manager names (not ARNs) of the chat and API key secrets, created outside the stacks. */
  readonly slackSecretName: string;
  readonly teamsSecretName: string;
  readonly apiKeysSecretName: string;
  /** botbuilder's MicrosoftAppType: SingleTenant (new bots), MultiTenant or UserAssignedMSI. */
  readonly teamsAppType: string;
  /**
   * Context `teams` (default true): the service's tasks get the Teams app credentials from the
   * Teams secret. false: a deployment without Teams; ECS maps no Teams field (a missing field
   * stops a task from starting) and the executor posts no progress to Teams.
   */
  readonly teams: boolean;
  /** Who may do what in chat: SRE_OPS_SLACK_* / SRE_OPS_TEAMS_* lists (comma-separated ids), by role. */
  readonly slackAccess: ChatAccess;
  readonly teamsAccess: ChatAccess;
  /** Only instances carrying this tag may receive AWS-RunPatchBaseline. */
  readonly patchOptInTag: { readonly key: string; readonly value: string };
  /** Folder of `npm run bundle` output (dist/lambda). */
  readonly lambdaBundleDir: string;
  /** The service image's build context (the repository root, where the Dockerfile is). */
  readonly imageDirectory: string;
  /** The IAM operation list the code uses (docs/iam-policy.json). */
  readonly policyFile: string;
  /** The web console behind the load balancer's OIDC authentication (docs/console.md); absent: no listener rule. */
  readonly consoleOidc?: ConsoleOidcConfig;
  /** Active findings the service is sized for (docs/infrastructure.md, "Task size"); default 100,000. */
  readonly fleetFindings: number;
  /** The daily digest: local time HH:MM and its IANA time zone (both or neither); null: no digest schedule. */
  readonly digest: { readonly time: string; readonly timeZone: string } | null;
  /** Where alerts and digests go (SRE_OPS_NOTIFY: slack:..., teams:..., teams-webhook:..., sns:...); empty: nowhere. */
  readonly notify: string;
}

/** Context `consoleOidc`: the identity provider the load balancer signs people in with for /console. */
export interface ConsoleOidcConfig {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly clientId: string;
  /** Secrets Manager name of the client secret (created outside the stacks, like the API keys). */
  readonly clientSecretName: string;
  /** The claim the service looks up in the policy's access.actors (default email). */
  readonly identityClaim: string;
  /** How long the load balancer's session lasts (default 8 h). */
  readonly sessionHours: number;
}

const OIDC_URLS = ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'userInfoEndpoint'] as const;

/** Reads context consoleOidc (an object in cdk.json, or its JSON with -c). @throws Error naming the field. */
export function consoleOidcConfig(v: unknown): ConsoleOidcConfig | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  let value = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v);
    } catch {
      throw new Error(`context consoleOidc: expected JSON such as {"issuer":"https://idp.example.com","clientId":"...",...}, got ${v}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('context consoleOidc: expected an object');
  const o = value as Record<string, unknown>;
  const known = [...OIDC_URLS, 'clientId', 'clientSecretName', 'identityClaim', 'sessionHours'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new Error(`context consoleOidc.${k}: unknown field; expected ${known.join(', ')}`);
  for (const k of OIDC_URLS) {
    if (typeof o[k] !== 'string' || !/^https:\/\/[^\s/]+(\/\S*)?$/.test(o[k] as string)) throw new Error(`context consoleOidc.${k}: expected an https:// URL, got ${JSON.stringify(o[k])}`);
  }
  if (typeof o.clientId !== 'string' || !o.clientId.trim()) throw new Error('context consoleOidc.clientId: expected the client id the identity provider issued');
  if (typeof o.clientSecretName !== 'string' || !o.clientSecretName.trim() || o.clientSecretName.startsWith('arn:')) {
    throw new Error(`context consoleOidc.clientSecretName: expected a Secrets Manager secret name (not an ARN), got ${JSON.stringify(o.clientSecretName)}`);
  }
  const claim = o.identityClaim ?? 'email';
  if (typeof claim !== 'string' || !/^[A-Za-z0-9_:.-]{1,64}$/.test(claim)) throw new Error(`context consoleOidc.identityClaim: expected a claim name such as email, got ${JSON.stringify(claim)}`);
  const hours = o.sessionHours ?? 8;
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > 168) throw new Error(`context consoleOidc.sessionHours: expected a whole number of hours from 1 to 168, got ${JSON.stringify(hours)}`);
  return {
    issuer: o.issuer as string,
    authorizationEndpoint: o.authorizationEndpoint as string,
    tokenEndpoint: o.tokenEndpoint as string,
    userInfoEndpoint: o.userInfoEndpoint as string,
    clientId: o.clientId.trim(),
    clientSecretName: o.clientSecretName.trim(),
    identityClaim: claim,
    sessionHours: hours,
  };
}

export const CHAT_ROLES = ['viewers', 'requesters', 'approvers', 'admins'] as const;
export type ChatAccess = Readonly<Partial<Record<(typeof CHAT_ROLES)[number], string>>>;

export const DEFAULTS = {
  environment: 'staging',
  region: 'us-west-2',
  slackSecretName: 'sre-ops-assistant/slack',
  teamsSecretName: 'sre-ops-assistant/teams',
  apiKeysSecretName: 'sre-ops-assistant/api-keys',
  teamsAppType: 'SingleTenant',
  patchOptInTagKey: 'sre-ops:patch',
  patchOptInTagValue: 'enabled',
} as const;

const REQUIRED_HINT =
  'pass it on the command line, e.g. npx cdk synth -c domainName=sre-ops.example.com -c hostedZoneId=Z0123456789ABCDEFGHIJ -c alarmEmail=oncall@example.com';

/**
 * A chat access context value: an object (cdk.json) or its JSON (-c slackAccess='{"approvers":"U012AB"}')
 * of role to comma-separated ids. The bots validate the ids themselves.
 */
function chatAccess(key: string, v: unknown): ChatAccess {
  if (v === undefined || v === null || v === '') return {};
  let value = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v);
    } catch {
      throw new Error(`context ${key}: expected JSON such as {"approvers":"U012AB,U034CD"}, got ${v}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`context ${key}: expected an object of ${CHAT_ROLES.join(', ')}`);
  const out: Partial<Record<(typeof CHAT_ROLES)[number], string>> = {};
  for (const [role, ids] of Object.entries(value)) {
    if (!(CHAT_ROLES as readonly string[]).includes(role)) throw new Error(`context ${key}.${role}: expected one of ${CHAT_ROLES.join(', ')}`);
    if (typeof ids !== 'string') throw new Error(`context ${key}.${role}: expected comma-separated ids in a string`);
    out[role as (typeof CHAT_ROLES)[number]] = ids;
  }
  return out;
}

function teamsAppType(v: string): string {
  if (!['SingleTenant', 'MultiTenant', 'UserAssignedMSI'].includes(v)) {
    throw new Error(`context teamsAppType: expected SingleTenant, MultiTenant or UserAssignedMSI, got "${v}"`);
  }
  return v;
}

function flag(key: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null || v === '') return fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new Error(`context ${key}: expected true or false, got ${JSON.stringify(v)}`);
}

/** Reads and validates the context. @throws Error naming the key. */
export function readConfig(node: Node, repoRoot: string): InfraConfig {
  const str = (key: string): string | undefined => {
    const v: unknown = node.tryGetContext(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new Error(`context ${key}: expected a string, got ${JSON.stringify(v)}`);
    return v.trim();
  };
  const required = (key: string): string => {
    const v = str(key);
    if (v === undefined) throw new Error(`context ${key} is required: ${REQUIRED_HINT}`);
    return v;
  };

  const domainName = required('domainName').toLowerCase().replace(/\.$/, '');
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domainName)) {
    throw new Error(`context domainName: expected a DNS name such as sre-ops.example.com, got "${domainName}"`);
  }
  const hostedZoneId = required('hostedZoneId');
  if (!/^Z[A-Z0-9]{4,32}$/.test(hostedZoneId)) {
    throw new Error(`context hostedZoneId: expected a Route 53 zone id such as Z0123456789ABCDEFGHIJ, got "${hostedZoneId}"`);
  }
  const hostedZoneName = (str('hostedZoneName') ?? domainName).toLowerCase().replace(/\.$/, '');
  if (domainName !== hostedZoneName && !domainName.endsWith(`.${hostedZoneName}`)) {
    throw new Error(`context hostedZoneName: "${hostedZoneName}" does not contain domainName "${domainName}"`);
  }
  const alarmEmail = required('alarmEmail');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`context alarmEmail: expected an email address, got "${alarmEmail}"`);
  }
  const environment = (str('environment') ?? DEFAULTS.environment).toLowerCase();
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(environment)) {
    throw new Error(`context environment: expected a short lower-case name such as production or staging, got "${environment}"`);
  }
  const region = str('region') ?? process.env.CDK_DEFAULT_REGION ?? DEFAULTS.region;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`context region: expected an AWS region such as us-west-2, got "${region}"`);

  const secretName = (key: string, fallback: string): string => {
    const v = str(key) ?? fallback;
    if (v.startsWith('arn:')) throw new Error(`context ${key}: expected a secret name, not an ARN ("${v}")`);
    return v;
  };
  const path = (key: string, fallback: string): string => {
    const v = str(key) ?? fallback;
    return isAbsolute(v) ? v : join(repoRoot, v);
  };

  const fleetRaw: unknown = node.tryGetContext('fleetFindings');
  const fleetFindings = fleetRaw === undefined || fleetRaw === null || fleetRaw === '' ? DEFAULT_FLEET_FINDINGS : Number(fleetRaw);
  if (!Number.isInteger(fleetFindings) || fleetFindings < 1) {
    throw new Error(`context fleetFindings: expected a whole number of findings such as 200000, got ${JSON.stringify(fleetRaw)}`);
  }
  taskSizeFor(fleetFindings);

  const digestTime = str('digestTime');
  const digestTimeZone = str('digestTimeZone');
  if (digestTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(digestTime)) throw new Error(`context digestTime: expected a local time HH:MM such as 08:30, got "${digestTime}"`);
  if (digestTime !== undefined && digestTimeZone === undefined) throw new Error(`context digestTimeZone: the digest time ${digestTime} has no time zone; add one such as -c digestTimeZone=Europe/Berlin or UTC`);
  if (digestTimeZone !== undefined && digestTime === undefined) throw new Error('context digestTime: digestTimeZone is set without a time; add one such as -c digestTime=08:30');
  if (digestTimeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: digestTimeZone });
    } catch {
      throw new Error(`context digestTimeZone: expected an IANA time zone such as Europe/Berlin or UTC, got "${digestTimeZone}"`);
    }
  }

  return {
    fleetFindings,
    digest: digestTime !== undefined && digestTimeZone !== undefined ? { time: digestTime, timeZone: digestTimeZone } : null,
    notify: str('notify') ?? '',
    domainName,
    hostedZoneId,
    hostedZoneName,
    alarmEmail,
    environment,
    production: environment === 'production' || environment === 'prod',
    region,
    slackSecretName: secretName('slackSecretName', DEFAULTS.slackSecretName),
    teamsSecretName: secretName('teamsSecretName', DEFAULTS.teamsSecretName),
    apiKeysSecretName: secretName('apiKeysSecretName', DEFAULTS.apiKeysSecretName),
    teamsAppType: teamsAppType(str('teamsAppType') ?? DEFAULTS.teamsAppType),
    teams: flag('teams', node.tryGetContext('teams'), true),
    slackAccess: chatAccess('slackAccess', node.tryGetContext('slackAccess')),
    teamsAccess: chatAccess('teamsAccess', node.tryGetContext('teamsAccess')),
    patchOptInTag: {
      key: str('patchOptInTagKey') ?? DEFAULTS.patchOptInTagKey,
      value: str('patchOptInTagValue') ?? DEFAULTS.patchOptInTagValue,
    },
    lambdaBundleDir: path('lambdaBundleDir', 'dist/lambda'),
    imageDirectory: path('imageDirectory', '.'),
    policyFile: path('policyFile', 'docs/iam-policy.json'),
    ...((): { consoleOidc?: ConsoleOidcConfig } => {
      const c = consoleOidcConfig(node.tryGetContext('consoleOidc'));
      return c ? { consoleOidc: c } : {};
    })(),
  };
}
