import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { TTL_ATTRIBUTE } from '../../adapters/outbound/dynamodb/dynamodb-replay-guard.js';
import { GSI } from '../../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { DataStack } from '../../infra/lib/data-stack.js';
import { onlyResource, synthesized, useSynth } from './support/synth.js';

describe('infra 6. data', () => {
  useSynth();

  it("has the state store's key schema: pk / sk and the gsi1 index the DynamoDB adapter queries", () => {
    const table = onlyResource(synthesized().templates.data, 'AWS::DynamoDB::Table').Properties;

    expect(table.KeySchema).to.deep.equal([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    expect(table.GlobalSecondaryIndexes).to.deep.equal([{
      IndexName: GSI,
      KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }]);
    expect((table.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]).every((a) => a.AttributeType === 'S')).to.equal(true);
  });

  it("turns TTL on for the replay guard's expiresAt attribute (the attribute the adapter writes)", () => {
    const table = onlyResource(synthesized().templates.data, 'AWS::DynamoDB::Table').Properties;

    expect(table.TimeToLiveSpecification).to.deep.equal({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  it('is on demand, encrypted, with point-in-time recovery', () => {
    const table = onlyResource(synthesized().templates.data, 'AWS::DynamoDB::Table').Properties;

    expect(table).to.deep.include({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('outside production may be deleted with its stack', () => {
    const table = onlyResource(synthesized().templates.data, 'AWS::DynamoDB::Table');

    expect(table.Properties.DeletionProtectionEnabled).to.equal(false);
    expect(table).to.include({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  it('in production has deletion protection and is retained', () => {
    const app = new App();
    const table = onlyResource(Template.fromStack(new DataStack(app, 'Data', { production: true })), 'AWS::DynamoDB::Table');

    expect(table.Properties.DeletionProtectionEnabled).to.equal(true);
    expect(table).to.include({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});
