/**
 * The DynamoDB client for the state store, configured the way the other AWS clients are: region,
 * profile, endpoint URL (moto, LocalStack, DynamoDB Local), bounded adaptive retries.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

export interface DynamoDbClientOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** Attempts per call including the first; default 5. */
  readonly maxAttempts?: number;
  /** Base credentials instead of the default chain (tests, embedding applications). */
  readonly credentials?: DynamoDBClientConfig['credentials'];
}

export function createDynamoDbClient(options: DynamoDbClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    endpoint: options.endpointUrl,
    credentials: options.credentials ?? fromNodeProviderChain(options.profile === undefined ? {} : { profile: options.profile }),
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: 'adaptive',
  });
}
