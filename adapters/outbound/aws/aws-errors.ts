/**
 * Turns AWS SDK failures into SourceErrors that carry the service, the operation and the AWS
 * error code, with a message a person can act on (which IAM action is missing, how to supply
 * credentials). The use cases decide whether a SourceError is a warning or fatal.
 */
import { isSourceError, SourceError } from '../../../domain/errors.js';

/** The AWS services this tool reads, named as their IAM action prefix. */
export type AwsService = 'inspector2' | 'ec2' | 'ssm' | 'cloudwatch' | 'cloudtrail' | 'sts' | 's3' | 'organizations';

// Error codes meaning "the caller may not do this", across the JSON and query protocols.
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError']);

// Error codes meaning "slow down". EC2 says RequestLimitExceeded, CloudWatch Throttling, the JSON
// services ThrottlingException.
const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'SlowDown',
  'EC2ThrottledException', 'BandwidthLimitExceeded',
]);

// The credentials were found but AWS rejected them (expired session, wrong key, clock skew).
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'ExpiredToken', 'ExpiredTokenException',
  'InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'RequestExpired',
]);

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError']);

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: { throttling?: boolean };
}

function asSdkError(e: unknown): SdkErrorLike {
  return typeof e === 'object' && e !== null ? (e as SdkErrorLike) : {};
}

/** The AWS error code of an SDK error (its `name`), or the Node error code for network failures. */
export function awsErrorCode(e: unknown): string {
  const err = asSdkError(e);
  if (typeof err.code === 'string' && NETWORK.has(err.code)) return err.code;
  if (typeof err.name === 'string' && err.name !== 'Error') return err.name;
  if (typeof err.code === 'string') return err.code;
  return 'Unknown';
}

/** True when AWS asked the caller to slow down. */
export function isThrottlingError(e: unknown): boolean {
  const err = asSdkError(e);
  return THROTTLING.has(awsErrorCode(e)) || err.$metadata?.httpStatusCode === 429 || err.$retryable?.throttling === true;
}

/** True when the SDK found no credentials anywhere in its chain. */
export function isNoCredentialsError(e: unknown): boolean {
  const err = asSdkError(e);
  return err.name === 'CredentialsProviderError' || (typeof err.message === 'string' && err.message.startsWith('Could not load credentials'));
}

// AWS names the denied action in the message ("... is not authorized to perform: sts:AssumeRole
// on resource ..."); that beats our guess when the denial is about another action (a role to
// assume, a KMS key).
const PERFORM = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/;

/**
 * Maps any error thrown by an SDK call to a SourceError naming the service, the operation and
 * the AWS error code. A SourceError passes through unchanged.
 * @param operation the API operation, which is also the IAM action's name (ListFindings).
 */
export function toSourceError(e: unknown, service: AwsService, operation: string): SourceError {
  if (isSourceError(e)) return e;
  const err = asSdkError(e);
  const code = awsErrorCode(e);
  // The SDK appends advice for its own debuggers ("inspect the hidden field {error}.$response");
  // a person reading a warning cannot act on it.
  const awsMessage = (typeof err.message === 'string' ? err.message : String(e)).replace(/\s*(Deserialization error: )?to see the raw response,? inspect the hidden field \{error\}\.\$response on this object\.?/gi, '').trim() || code;
  const what = `${service}:${operation}`;
  let message: string;
  let errorCode = code;
  const profile = /using profile: \[([^\]]+)\]|Profile (\S+) (?:could not be found|was not found)/.exec(awsMessage);
  if (isNoCredentialsError(e) && profile) {
    // --profile (or AWS_PROFILE) was given: saying "pass --profile" would send the person in a circle.
    const name = profile[1] ?? profile[2] ?? '';
    errorCode = 'CredentialsProviderError';
    message = `--profile ${name}: no credentials from that AWS profile: check that it exists in ~/.aws/config or ~/.aws/credentials (\`aws configure list-profiles\`), or run \`aws sso login --profile ${name}\` for an SSO profile`;
  } else if (isNoCredentialsError(e)) {
    errorCode = 'CredentialsProviderError';
    message =
      'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass --profile, ' +
      'or run `aws sso login` for an SSO profile';
  } else if (/region is missing/i.test(awsMessage)) {
    errorCode = 'RegionMissing';
    message = 'no AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile';
  } else if (ACCESS_DENIED.has(code)) {
    const action = PERFORM.exec(awsMessage)?.[1] ?? what;
    message = `access denied: the caller lacks IAM permission "${action}" (${code}); see docs/iam-policy.json`;
  } else if (BAD_CREDENTIALS.has(code)) {
    message = `AWS rejected the credentials calling ${what} (${code}): refresh them (e.g. \`aws sso login\`) or check the profile`;
  } else if (isThrottlingError(e)) {
    const attempts = err.$metadata?.attempts;
    message = `${what} still throttled${attempts ? ` after ${attempts} attempts` : ''} (${code}): retry later or lower the concurrency`;
  } else if (NETWORK.has(code)) {
    message = `cannot reach the ${service} endpoint for ${operation} (${code}): check the network, the region and --endpoint-url`;
  } else {
    message = `${what} failed (${code}): ${awsMessage}`;
  }
  return new SourceError(service, operation, message, { cause: e, code: errorCode });
}

/**
 * Runs one SDK call and maps its failure.
 * @throws SourceError naming `service:operation` and the AWS error code.
 */
export async function callAws<T>(service: AwsService, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toSourceError(e, service, operation);
  }
}
