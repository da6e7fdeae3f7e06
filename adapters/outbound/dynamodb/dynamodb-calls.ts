/**
 * How the DynamoDB adapters call the SDK: a failed condition or a cancelled transaction is an
 * answer the caller acts on (a conflict, a key already taken); any other failure becomes a
 * SourceError naming the operation and the SDK's error name.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SourceError } from '../../../domain/errors.js';

const nameOf = (err: unknown): unknown => (err as { name?: unknown } | null)?.name;

/** A write's ConditionExpression did not hold. */
export function conditionFailed(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || nameOf(err) === 'ConditionalCheckFailedException';
}

/** A TransactWriteItems was cancelled (CancellationReasons says which item's condition failed). */
export function transactionCancelled(err: unknown): err is TransactionCanceledException {
  return err instanceof TransactionCanceledException || nameOf(err) === 'TransactionCanceledException';
}

/** "dynamodb:PutItem (replay guard) failed (ThrottlingException): ...", the SDK error as its cause. */
export function dynamoDbFailure(operation: string, err: unknown, about?: string): SourceError {
  const code = nameOf(err);
  return new SourceError('dynamodb', operation, `dynamodb:${operation}${about ? ` (${about})` : ''} failed (${typeof code === 'string' ? code : 'Unknown'}): ${err instanceof Error ? err.message : String(err)}`, { cause: err, ...(typeof code === 'string' ? { code } : {}) });
}

/** Runs one SDK call; failures other than a failed condition or a cancelled transaction become a SourceError. */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (conditionFailed(err) || transactionCancelled(err)) throw err;
    throw dynamoDbFailure(operation, err);
  }
}
