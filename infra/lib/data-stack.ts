/**
 * The state store's DynamoDB table (patch runs, approvals, risk acceptances, audit log).
 *
 * Key schema: generic `pk` / `sk` strings (single-table design). The DynamoDB state store adapter
 * (adapters/outbound/dynamodb/) did not exist when this was written: align the key names with it
 * if it chooses others. Items may carry an `expiresAt` epoch-seconds attribute for DynamoDB TTL.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { removalPolicy } from './common.js';

export interface DataStackProps extends StackProps {
  readonly production: boolean;
}

export const STATE_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', ttl: 'expiresAt' } as const;

export class DataStack extends Stack {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.table = new Table(this, 'StateTable', {
      partitionKey: { name: STATE_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: STATE_TABLE_KEYS.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: STATE_TABLE_KEYS.ttl,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.production,
      removalPolicy: removalPolicy(props.production),
    });
  }
}
