/**
 * A VPC over two availability zones: public subnets for the load balancer and the NAT gateways,
 * private subnets for the Fargate tasks.
 *
 * Why private subnets with NAT rather than tasks with public IPs: nothing reaches a task except
 * through the load balancer. Why NAT rather than interface endpoints only: the service reads the
 * CISA KEV feed on the internet, and the ten interface endpoints it would otherwise need (ECR x2,
 * Logs, Secrets Manager, STS, EC2, SSM, Inspector2, CloudWatch, CloudTrail) cost more than a NAT
 * gateway in each zone. S3 (image layers) and DynamoDB (state store) go through free gateway
 * endpoints. Production has a NAT gateway per zone; other environments share one.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, GatewayVpcEndpointAwsService, IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge, logRetention, PROJECT, removalPolicy } from './common.js';

export interface NetworkStackProps extends StackProps {
  readonly production: boolean;
}

export class NetworkStack extends Stack {
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const flowLogs = new LogGroup(this, 'FlowLogs', {
      logGroupName: `/vpc/${PROJECT}/flow-logs`,
      retention: logRetention(props.production),
      removalPolicy: removalPolicy(props.production),
    });
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways: props.production ? 2 : 1,
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB },
      },
      restrictDefaultSecurityGroup: true,
      flowLogs: { all: { destination: FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: FlowLogTrafficType.ALL } },
    });
    // The default security group is emptied by a CDK-provided custom resource (a Lambda).
    const restrict = this.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (restrict) {
      acknowledge(restrict, {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
          'CDK-provided custom resource that empties the default security group; its role and runtime are the CDK\'s.',
      });
    }
  }
}
