import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { NetworkStack } from '../../infra/lib/network-stack.js';
import { synthesized, useSynth } from './support/synth.js';

describe('infra 1. network', () => {
  useSynth();

  it('spans two availability zones with a public and a private subnet in each', () => {
    const t = synthesized().templates.network;

    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
    const subnets = Object.values(t.findResources('AWS::EC2::Subnet')).map((s) => (s as { Properties: Record<string, unknown> }).Properties);
    const publicOnes = subnets.filter((s) => s.MapPublicIpOnLaunch === true);
    const privateOnes = subnets.filter((s) => s.MapPublicIpOnLaunch === false);
    expect(publicOnes).to.have.length(2);
    expect(privateOnes).to.have.length(2);
    const zones = new Set(publicOnes.map((s) => JSON.stringify(s.AvailabilityZone)));
    expect(zones.size).to.equal(2);
    expect(new Set(privateOnes.map((s) => JSON.stringify(s.AvailabilityZone)))).to.deep.equal(zones);
  });

  it('gives the private subnets a way out through NAT (one outside production) and free gateway endpoints for S3 and DynamoDB', () => {
    const t = synthesized().templates.network;

    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    for (const service of ['s3', 'dynamodb']) {
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([`.${service}`])]) }),
      });
    }
  });

  it('has a NAT gateway per zone in production', () => {
    const app = new App();
    const stack = new NetworkStack(app, 'Net', { production: true, env: { region: 'us-west-2' } });

    Template.fromStack(stack).resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  it('logs every flow to CloudWatch Logs and empties the default security group', () => {
    const t = synthesized().templates.network;

    t.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/vpc/sre-ops-assistant/flow-logs', RetentionInDays: 30 });
    t.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });
});
