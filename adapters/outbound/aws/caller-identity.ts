/**
 * Who the AWS credentials belong to: STS GetCallerIdentity's ARN, the authenticated principal of
 * the CLI on a shared state store or a live account. Uses the base credentials (profile or default
 * chain), not a role the sources assume with --role-arn: the person, not the shared role.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { callAws } from './aws-errors.js';
import { baseCredentials, type AwsCredentials } from './aws-clients.js';

export interface CallerIdentityOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly credentials?: AwsCredentials;
}

/** The caller's ARN, e.g. arn:aws:sts::123456789012:assumed-role/Ops/alice. @throws SourceError */
export async function callerArn(options: CallerIdentityOptions): Promise<string> {
  const client = new STSClient({
    // STS answers in every region; without one configured the global endpoint's region does.
    region: options.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1'),
    ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
    credentials: baseCredentials(options),
    maxAttempts: 3,
  });
  try {
    const out = await callAws('sts', 'GetCallerIdentity', () => client.send(new GetCallerIdentityCommand({})));
    if (!out.Arn) throw new Error('sts:GetCallerIdentity returned no Arn');
    return out.Arn;
  } finally {
    client.destroy();
  }
}
