import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createAwsClients, destroyAwsClients } from '../../../adapters/outbound/aws/aws-clients.js';
import type { AwsClients } from '../../../adapters/outbound/aws/aws-clients.js';
import { Ec2AssetInventory } from '../../../adapters/outbound/aws/ec2-asset-inventory.js';
import { Inspector2FindingsSource } from '../../../adapters/outbound/aws/inspector2-findings-source.js';
import { SourceError } from '../../../domain/errors.js';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, MOTO_REGION, useMoto } from '../../support/moto.js';
import { runInstances } from './aws-fixtures.js';

interface Canned {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A loopback server in front of moto that can answer a request itself (a throttling or access
 * denied error, as AWS sends them) and otherwise forwards it: the real SDK client, with its retry
 * and error parsing, is exercised end to end.
 */
async function startFakeAws(upstream: () => string, answer: (req: IncomingMessage, body: string) => Canned | null): Promise<{ endpoint: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push(body);
      const canned = answer(req, body);
      if (canned !== null) {
        res.writeHead(canned.status, canned.headers).end(canned.body);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      fetch(`${upstream()}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : body })
        .then(async (r) => {
          const out: Record<string, string> = {};
          r.headers.forEach((v, k) => {
            if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding') out[k] = v;
          });
          res.writeHead(r.status, out).end(Buffer.from(await r.arrayBuffer()));
        })
        .catch((e: Error) => res.writeHead(502).end(e.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, server, requests };
}

const EC2_THROTTLED: Canned = {
  status: 503,
  headers: { 'content-type': 'text/xml' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>',
};

describe('createAwsClients', () => {
  const moto = useMoto();
  let clients: AwsClients | null = null;
  let fake: Server | null = null;
  afterEach(async () => {
    if (clients !== null) destroyAwsClients(clients);
    clients = null;
    if (fake !== null) await new Promise((resolve) => fake?.close(resolve));
    fake = null;
  });

  it('builds clients for the region and endpoint, in adaptive retry mode with bounded attempts', async () => {
    clients = createAwsClients({ region: 'eu-west-1', endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 4 });

    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));

    expect(identity.Account).to.equal(MOTO_ACCOUNT);
    expect(await clients.ec2.config.region()).to.equal('eu-west-1');
    expect(await clients.cloudtrail.config.maxAttempts()).to.equal(4);
    expect(clients.ssm.config.retryMode).to.equal('adaptive');
  });

  it('assumes the role given once for all clients, before calling', async () => {
    const proxy = await startFakeAws(() => moto.endpoint, () => null);
    fake = proxy.server;
    clients = createAwsClients({
      region: MOTO_REGION, endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS,
      roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sre-ops-read`, roleSessionName: 'test-session',
    });

    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    await new Ec2AssetInventory(clients.ec2).listAssets();

    expect(identity.Arn).to.equal(`arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/sre-ops-read/test-session`);
    expect(proxy.requests.filter((b) => b.includes('Action=AssumeRole'))).to.have.length(1);
  });

  it('retries throttling and then succeeds', async () => {
    let throttled = 0;
    const proxy = await startFakeAws(() => moto.endpoint, (_req, body) => (body.includes('Action=DescribeInstances') && throttled++ < 1 ? EC2_THROTTLED : null));
    fake = proxy.server;
    clients = createAwsClients({ region: MOTO_REGION, endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 3 });
    const [id] = await runInstances(clients.ec2, 1);

    const assets = await new Ec2AssetInventory(clients.ec2).listAssets();

    expect(assets.map((a) => a.instanceId)).to.deep.equal([id]);
    expect(proxy.requests.filter((b) => b.includes('Action=DescribeInstances'))).to.have.length(2);
  });

  it('fails clearly once the attempts are spent on throttling', async () => {
    const proxy = await startFakeAws(() => moto.endpoint, (_req, body) => (body.includes('Action=DescribeInstances') ? EC2_THROTTLED : null));
    fake = proxy.server;
    clients = createAwsClients({ region: MOTO_REGION, endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 2 });

    const error = await new Ec2AssetInventory(clients.ec2).listAssets().then(() => null, (e: unknown) => e);

    expect(proxy.requests).to.have.length(2);
    expect(error).to.be.instanceOf(SourceError);
    expect(error).to.include({ service: 'ec2', operation: 'DescribeInstances', code: 'RequestLimitExceeded' });
    expect((error as Error).message).to.equal('ec2:DescribeInstances still throttled after 2 attempts (RequestLimitExceeded): retry later or lower the concurrency');
  });

  it('names the missing IAM action when AWS denies access', async () => {
    const proxy = await startFakeAws(() => moto.endpoint, () => ({
      status: 403,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
      body: JSON.stringify({ message: 'User: arn:aws:sts::123456789012:assumed-role/ro/me is not authorized to perform this action' }),
    }));
    fake = proxy.server;
    clients = createAwsClients({ region: MOTO_REGION, endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });

    const error = await (async () => {
      for await (const _ of new Inspector2FindingsSource(clients.inspector2).listActiveFindings()) void _;
    })().then(() => null, (e: unknown) => e);

    expect(error).to.include({ service: 'inspector2', operation: 'ListFindings', code: 'AccessDeniedException' });
    expect((error as Error).message).to.equal('access denied: the caller lacks IAM permission "inspector2:ListFindings" (AccessDeniedException); see docs/iam-policy.json');
  });

  describe('with no credentials anywhere', () => {
    const saved: Record<string, string | undefined> = {};
    const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_EC2_METADATA_DISABLED', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE'];
    let dir = '';
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sre-ops-nocreds-'));
      await writeFile(join(dir, 'config'), '');
      await writeFile(join(dir, 'credentials'), '');
      for (const k of KEYS) {
        saved[k] = process.env[k];
        delete process.env[k];
      }
      // An empty AWS config, and no instance metadata service to wait for.
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
    });
    after(async () => {
      for (const k of KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await rm(dir, { recursive: true, force: true });
    });

    it('says so in one line from the default chain', async () => {
      clients = createAwsClients({ region: MOTO_REGION, endpointUrl: moto.endpoint, maxAttempts: 1 });

      const error = await new Ec2AssetInventory(clients.ec2).listAssets().then(() => null, (e: unknown) => e);

      expect(error).to.include({ service: 'ec2', operation: 'DescribeInstances', code: 'CredentialsProviderError' });
      expect((error as Error).message).to.match(/^no AWS credentials found: set AWS_PROFILE or [^\n]+$/);
    });

    it('says so when the given credential provider fails the same way', async () => {
      const failing = async (): Promise<never> => {
        throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
      };
      clients = createAwsClients({ region: MOTO_REGION, endpointUrl: moto.endpoint, credentials: failing, maxAttempts: 1 });

      const error = await new Ec2AssetInventory(clients.ec2).listAssets().then(() => null, (e: unknown) => e);

      expect(error).to.include({ code: 'CredentialsProviderError' });
      expect((error as Error).message).to.match(/^no AWS credentials found/);
    });
  });
});
