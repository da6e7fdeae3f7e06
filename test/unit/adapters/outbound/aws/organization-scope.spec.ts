import { expect } from 'chai';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AccountCredentials, listOrganizationAccounts, mergeLimited } from '../../../../../adapters/outbound/aws/organization-scope.js';

const MIN = 60_000;

/**
 * The pieces of the organization read that moto cannot show: credential expiry (moto's sessions
 * never expire on a test's clock) and Organizations account states (moto creates ACTIVE accounts
 * only). Both through aws-sdk-client-mock at the client.
 */
describe('organization scope (adapter pieces)', () => {
  it('AssumeRole once per account until five minutes before expiry; a failure is not kept', async () => {
    let now = Date.parse('2026-11-20T12:00:00Z');
    const sts = new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(sts);
    let n = 0;
    mock.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string; ExternalId?: string }) => {
      n++;
      if (input.RoleArn.includes('999999999999')) throw Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
      return { Credentials: { AccessKeyId: `key-${n}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(now + 60 * MIN) } };
    });
    const creds = new AccountCredentials(sts, { roleName: 'SreOpsReadRole', externalId: 'ext-1', partition: 'aws', now: () => now });
    const a = creds.provider('111111111111');

    const [x, y] = await Promise.all([a(), a()]);
    expect(x.accessKeyId).to.equal('key-1');
    expect(y.accessKeyId).to.equal('key-1');
    now += 50 * MIN;
    expect((await a()).accessKeyId).to.equal('key-1');
    now += 6 * MIN; // 4 minutes left: renewed
    expect((await a()).accessKeyId).to.equal('key-2');
    expect((await creds.provider('222222222222')()).accessKeyId).to.equal('key-3');
    const input = mock.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(input).to.include({ RoleArn: 'arn:aws:iam::111111111111:role/SreOpsReadRole', ExternalId: 'ext-1', RoleSessionName: 'sre-ops-assistant' });

    const denied = creds.provider('999999999999');
    let message = '';
    await denied().catch((e: Error) => (message = e.message));
    expect(message).to.contain('cannot assume arn:aws:iam::999999999999:role/SreOpsReadRole').and.to.contain('AccessDenied');
    await denied().catch(() => undefined);
    expect(mock.commandCalls(AssumeRoleCommand).filter((c) => c.args[0].input.RoleArn?.includes('999999999999'))).to.have.length(2);
    sts.destroy();
  });

  it('Organizations ListAccounts: every page, ACTIVE accounts only', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    mockClient(org)
      .on(ListAccountsCommand, { NextToken: undefined }).resolves({ Accounts: [{ Id: '222222222222', Status: 'ACTIVE' }, { Id: '333333333333', Status: 'SUSPENDED' }], NextToken: 'p2' })
      .on(ListAccountsCommand, { NextToken: 'p2' }).resolves({ Accounts: [{ Id: '111111111111', Status: 'ACTIVE' }, { Id: '444444444444', Status: 'PENDING_CLOSURE' }] });
    expect(await listOrganizationAccounts(org)).to.deep.equal(['111111111111', '222222222222']);
    org.destroy();
  });

  it('Organizations access denied is the AWS error, naming organizations:ListAccounts', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    mockClient(org).on(ListAccountsCommand).rejects(Object.assign(new Error('You don\'t have permissions to access this resource.'), { name: 'AccessDeniedException' }));
    let message = '';
    await listOrganizationAccounts(org).catch((e: Error) => (message = e.message));
    expect(message).to.contain('organizations:ListAccounts').and.to.contain('AccessDeniedException');
    org.destroy();
  });

  it('mergeLimited: at most `width` streams open at once, every item once, a failing stream reported and dropped', async () => {
    let open = 0;
    let most = 0;
    const stream = (i: number, fail = false) => async function* () {
      open++;
      most = Math.max(most, open);
      try {
        for (let k = 0; k < 3; k++) {
          await Promise.resolve();
          if (fail && k === 1) throw new Error(`stream ${i} broke`);
          yield `${i}.${k}`;
        }
      } finally {
        open--;
      }
    };
    const failed: number[] = [];
    const got: string[] = [];
    for await (const item of mergeLimited([stream(0), stream(1, true), stream(2), stream(3), stream(4)], 2, (i) => failed.push(i))) got.push(item);
    expect(most).to.equal(2);
    expect(failed).to.deep.equal([1]);
    expect(got.sort()).to.deep.equal(['0.0', '0.1', '0.2', '1.0', '2.0', '2.1', '2.2', '3.0', '3.1', '3.2', '4.0', '4.1', '4.2']);
  });
});
