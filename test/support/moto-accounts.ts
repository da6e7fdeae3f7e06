/**
 * Several accounts on one moto_server, for the organization specs (organization scope, the
 * delegated Inspector administrator, the org assessment Lambdas): moto keeps one backend per
 * account, and credentials from sts:AssumeRole into arn:aws:iam::ACCOUNT:role/NAME act in ACCOUNT.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../../adapters/outbound/aws/aws-clients.js';
import { runInstances, wireFinding } from '../integration/aws/aws-fixtures.js';
import { MOTO_CREDENTIALS, type MotoServer } from './moto.js';

/** The regions every account is seeded in. */
export const SEEDED_REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** The environment of a CLI run against moto: static test keys, no profile, no config file, no IMDS. */
export const MOTO_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_REGION: '', AWS_DEFAULT_REGION: '',
  AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_EC2_METADATA_DISABLED: 'true',
};

/** An instance seeded in an account and region. */
export interface Seeded { readonly instanceId: string; readonly accountId: string; readonly region: string }

/** Credentials acting in `account` on moto: AssumeRole into a role ARN of that account (moto creates no role; any ARN is granted). */
export async function actAs(endpoint: string, account: string): Promise<AwsCredentials> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
  try {
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/SreOpsReadRole`, RoleSessionName: 'seed' }))).Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  } finally {
    sts.destroy();
  }
}

/** Two instances (tagged `tags`) in `accountId` and `region`, their ids. */
export async function seedInstances(moto: MotoServer, accountId: string, region: string, tags: Record<string, string>): Promise<string[]> {
  const ec2 = new EC2Client({ endpoint: moto.endpoint, region, credentials: await actAs(moto.endpoint, accountId) });
  try {
    return await runInstances(ec2, 2, tags);
  } finally {
    ec2.destroy();
  }
}

/** Two instances in each account and region, and one finding on the first of each, seeded in that account's Inspector. */
export async function seedAccounts(moto: MotoServer, accounts: readonly string[]): Promise<Seeded[]> {
  const out: Seeded[] = [];
  for (const accountId of accounts) {
    for (const region of SEEDED_REGIONS) {
      const ids = await seedInstances(moto, accountId, region, { Name: `web-${region}`, Environment: 'prod' });
      for (const instanceId of ids) out.push({ instanceId, accountId, region });
      await moto.post('/moto-api/static/inspector2/findings-results', { account_id: accountId, region, results: [[wireFinding(ids[0]!, 1, { awsAccountId: accountId })]] });
    }
  }
  return out;
}
