import { expect } from 'chai';
import { StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { Ec2AssetInventory } from '../../../adapters/outbound/aws/ec2-asset-inventory.js';
import { SourceError } from '../../../domain/errors.js';
import { useMoto } from '../../support/moto.js';
import { AwsCallRecorder } from '../../../adapters/outbound/aws/aws-call-recorder.js';
import { motoClients, runInstances } from './aws-fixtures.js';

describe('Ec2AssetInventory against moto', () => {
  const moto = useMoto();

  it('lists instances with their tags, public address, state and Auto Scaling group', async () => {
    const { ec2 } = motoClients(moto.endpoint);
    const [web] = await runInstances(ec2, 1, { Name: 'web-1', Environment: 'prod', 'aws:autoscaling:groupName': 'web-asg' });
    const [db] = await runInstances(ec2, 1, { Name: 'db-1', criticality: 'high' });

    const assets = await new Ec2AssetInventory(ec2).listAssets();

    const byId = new Map(assets.map((a) => [a.instanceId, a]));
    expect([...byId.keys()].sort()).to.deep.equal([web, db].sort());
    const w = byId.get(web as string);
    expect(w?.name).to.equal('web-1');
    expect(w?.tags).to.include({ Environment: 'prod' });
    expect(w?.autoScalingGroup).to.equal('web-asg');
    expect(w?.state).to.equal('running');
    expect(w?.publicIpv4).to.match(/^\d+\.\d+\.\d+\.\d+$/);
    expect(w?.instanceType).to.equal('t3.micro');
    expect(w?.launchTime).to.be.a('number');
    expect(byId.get(db as string)?.tags).to.include({ criticality: 'high' });
  });

  it('keeps stopped instances and leaves terminated ones out', async () => {
    const { ec2 } = motoClients(moto.endpoint);
    const [kept, stopped, gone] = await runInstances(ec2, 3);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped as string] }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone as string] }));

    const assets = await new Ec2AssetInventory(ec2).listAssets();

    expect(assets.map((a) => [a.instanceId, a.state]).sort()).to.deep.equal(
      [[kept, 'running'], [stopped, 'stopped']].sort(),
    );
  });

  it('reads every page (moto pages DescribeInstances by reservation)', async () => {
    const { ec2 } = motoClients(moto.endpoint);
    const recorder = new AwsCallRecorder().attach(ec2);
    const ids: string[] = [];
    for (let r = 0; r < 7; r++) ids.push(...(await runInstances(ec2, 2)));
    recorder.reset();

    const assets = await new Ec2AssetInventory(ec2, { pageSize: 5 }).listAssets();

    expect(assets.map((a) => a.instanceId).sort()).to.deep.equal(ids.sort());
    expect(recorder.count('ec2:DescribeInstances')).to.equal(2);
  });

  it('fails with a SourceError naming the service, operation and code when EC2 cannot be reached', async () => {
    // A closed loopback port: the SDK gets ECONNREFUSED.
    const { ec2 } = motoClients('http://127.0.0.1:9');

    const error = await new Ec2AssetInventory(ec2).listAssets().then(() => null, (e: unknown) => e);

    expect(error).to.be.instanceOf(SourceError);
    expect(error).to.include({ service: 'ec2', operation: 'DescribeInstances', code: 'ECONNREFUSED' });
    expect((error as Error).message).to.match(/cannot reach the ec2 endpoint/);
  });
});
