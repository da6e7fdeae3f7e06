/**
 * The state store's DynamoDB table (patch runs, idempotency keys, risk acceptances, audit log),
 * with the key schema of adapters/outbound/dynamodb/dynamodb-state-store.ts: `pk` / `sk`
 * strings, and the `gsi1` index (`gsi1pk` kind / `gsi1sk` time then id, all attributes) that
 * lists one kind newest first; `expiresAt` (epoch seconds) is its TTL attribute, set on the items of
 * the replay guard (adapters/outbound/dynamodb/dynamodb-replay-guard.ts) and nothing else. The
 * service and the bots find it in SRE_OPS_STATE_TABLE.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { removalPolicy } from './common.js';

export interface DataStackProps extends StackProps {
  readonly production: boolean;
}

export const STATE_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', index: 'gsi1', indexPartitionKey: 'gsi1pk', indexSortKey: 'gsi1sk', ttl: 'expiresAt' } as const;

/** What the state store calls (GetItem, PutItem, Query, TransactWriteItems), by IAM action. */
export const STATE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
export const STATE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export class DataStack extends Stack {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.table = new Table(this, 'StateTable', {
      partitionKey: { name: STATE_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: STATE_TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.production,
      removalPolicy: removalPolicy(props.production),
      // The replay guard's items (signatures of chat requests, kept for their window) expire.
      timeToLiveAttribute: STATE_TABLE_KEYS.ttl,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: STATE_TABLE_KEYS.index,
      partitionKey: { name: STATE_TABLE_KEYS.indexPartitionKey, type: AttributeType.STRING },
      sortKey: { name: STATE_TABLE_KEYS.indexSortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }

  /**
   * The table and its one index by name (no `index/*` wildcard). TransactWriteItems needs no
   * action of its own: IAM checks the puts and condition checks inside it.
   */
  grantState(grantee: IGrantable, access: 'read' | 'read-write'): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
      sid: access === 'read' ? 'StateTableRead' : 'StateTableReadWrite',
      actions: access === 'read' ? STATE_READ_ACTIONS : [...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS],
      resources: [this.table.tableArn, `${this.table.tableArn}/index/${STATE_TABLE_KEYS.index}`],
    }));
  }
}
