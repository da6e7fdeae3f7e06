/**
 * Builds the SDK clients the way AWS users expect: the default credential chain, a profile, a
 * region, an endpoint URL (LocalStack, moto), an optional role to assume, and the SDK's adaptive
 * retry mode with a bounded number of attempts.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { EC2ClientConfig } from '@aws-sdk/client-ec2';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';

/** Static credentials or a provider of them, as every SDK client accepts. */
export type AwsCredentials = NonNullable<EC2ClientConfig['credentials']>;

/** The options an AWS user expects: --region, --profile, --endpoint-url, a role to assume. */
export interface AwsClientOptions {
  /** e.g. "eu-west-1"; default: AWS_REGION, then the profile's region. */
  readonly region?: string;
  /** A named profile of ~/.aws/config; default: AWS_PROFILE, then the default chain. */
  readonly profile?: string;
  /** Sends every call to this URL instead of AWS (LocalStack, moto_server). */
  readonly endpointUrl?: string;
  /** A role to assume (STS AssumeRole) with the base credentials before any call. */
  readonly roleArn?: string;
  /** Session name shown in CloudTrail for the assumed role; default "sre-ops-assistant". */
  readonly roleSessionName?: string;
  /** External id the role's trust policy may require. */
  readonly externalId?: string;
  /** Attempts per call including the first, for the SDK's adaptive retry; default 5. */
  readonly maxAttempts?: number;
  /** Base credentials instead of the default chain (tests, embedding applications). */
  readonly credentials?: AwsCredentials;
}

/** One client per service the adapters read. */
export interface AwsClients {
  readonly inspector2: Inspector2Client;
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
  readonly cloudwatch: CloudWatchClient;
  readonly cloudtrail: CloudTrailClient;
  readonly sts: STSClient;
}

/** Default attempts per call: enough to ride out a burst of throttling, bounded so a dead service fails in seconds. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Builds the six clients sharing one credential provider, so a role is assumed and an SSO token
 * read once, not once per client.
 * @throws RangeError when maxAttempts is not a positive integer.
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  const config = {
    region: options.region,
    profile: options.profile,
    endpoint: options.endpointUrl,
    credentials: resolveCredentials(options),
    maxAttempts,
    retryMode: 'adaptive',
  };
  return {
    inspector2: new Inspector2Client(config),
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    cloudwatch: new CloudWatchClient(config),
    cloudtrail: new CloudTrailClient(config),
    sts: new STSClient(config),
  };
}

/**
 * An S3 client with the same settings as the others (findings reports live in S3). Built apart,
 * and only when an S3 location is named, so a run that reads no report never loads the S3 SDK.
 * An endpoint override (moto, LocalStack) uses path-style addressing: such endpoints do not serve
 * bucket subdomains.
 */
export async function createS3Client(options: AwsClientOptions = {}): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({
    region: options.region,
    profile: options.profile,
    endpoint: options.endpointUrl,
    forcePathStyle: options.endpointUrl !== undefined,
    credentials: resolveCredentials(options),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive',
  });
}

/** Closes the clients' sockets, so a CLI process exits at once. */
export function destroyAwsClients(clients: AwsClients): void {
  for (const client of Object.values(clients) as { destroy(): void }[]) client.destroy();
}

/**
 * The caller's own credentials, before any role: given ones, else the named profile, else the
 * default chain. With a profile named, only that profile counts (its keys, SSO,
 * credential_process, role), as the AWS CLI does for --profile: environment keys are not
 * consulted, and the SDK's chain, which would print a multi-line warning about them first, is not used.
 */
export function baseCredentials(options: Pick<AwsClientOptions, 'credentials' | 'profile'>): AwsCredentials {
  return options.credentials ?? (options.profile === undefined ? fromNodeProviderChain({}) : fromIni({ profile: options.profile }));
}

function resolveCredentials(options: AwsClientOptions): AwsCredentials {
  const base = baseCredentials(options);
  if (options.roleArn === undefined) return base;
  return shareOne(fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: options.roleArn,
      RoleSessionName: options.roleSessionName ?? 'sre-ops-assistant',
      ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
    },
    clientConfig: { region: options.region, profile: options.profile, endpoint: options.endpointUrl },
  }));
}

type CredentialProvider = Extract<AwsCredentials, (...args: never[]) => unknown>;
type Identity = Awaited<ReturnType<CredentialProvider>>;

/** Refresh this long before the credentials expire, so no call goes out with a dying session. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * One set of credentials for every client: each client memoizes its provider on its own, so an
 * unshared fromTemporaryCredentials would call AssumeRole once per client. Concurrent callers
 * share one pending request; a failure is not kept.
 */
function shareOne(provider: CredentialProvider): CredentialProvider {
  let current: Promise<Identity> | null = null;
  const fresh = (identity: Identity): boolean =>
    identity.expiration === undefined || identity.expiration.getTime() - Date.now() > EXPIRY_MARGIN_MS;
  return async (props?: { forceRefresh?: boolean }) => {
    if (current !== null && props?.forceRefresh !== true) {
      const held = await current.catch(() => null);
      if (held !== null && fresh(held)) return held;
    }
    const pending = provider(props);
    current = pending;
    return pending;
  };
}

/**
 * The region the SDK would use without --region: AWS_REGION, then the profile's; null when none.
 */
export async function loadConfiguredRegion(options: Pick<AwsClientOptions, 'region' | 'profile'>): Promise<string | null> {
  if (options.region !== undefined) return options.region;
  const probe = new STSClient({ ...(options.profile !== undefined ? { profile: options.profile } : {}), credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
  try {
    return await probe.config.region();
  } catch {
    return null;
  } finally {
    probe.destroy();
  }
}
