/**
 * The objects of a findings input in S3 (`s3://bucket/prefix`): an Inspector2 findings report
 * (CreateFindingsReport writes it there), or archived EventBridge events. Listed page by page and
 * read as streams: an object is never held whole.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { SourceError, ValidationError } from '../../../domain/errors.js';
import { FindingsInputSource, isInputName, type FindingsObject } from '../aws-shapes/findings-input.js';
import { awsErrorCode, callAws, toSourceError } from './aws-errors.js';

/** A bucket and a key prefix. */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

// Bucket names: 3 to 63 lower-case letters, digits, dots and hyphens (S3's rules; a dot-less
// legacy name with capitals is not created any more).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `s3://bucket/prefix` (the prefix may be empty or name one object).
 * @throws ValidationError naming `field` when it is not such a URL.
 */
export function parseS3Url(url: string, field: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (m === null || !BUCKET.test(m[1] as string)) {
    throw new ValidationError(field, 's3://BUCKET/PREFIX', `${field}: expected s3://BUCKET/PREFIX (a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens), got ${JSON.stringify(url)}`);
  }
  return { bucket: m[1] as string, prefix: m[2] ?? '' };
}

/** What the inputs under a prefix are expected to be, for the error when there are none. */
const EXPECTED = '.json, .json.gz, .jsonl, .csv or .csv.gz objects of an Inspector2 findings report or archived "Inspector2 Finding" events';

/**
 * The objects under `location` whose names are findings inputs (isInputName), in key order.
 * @throws SourceError when the bucket does not exist, cannot be listed, or holds no such object
 *   under the prefix.
 */
export async function* s3FindingsObjects(client: S3Client, location: S3Location, pageSize?: number): AsyncGenerator<FindingsObject> {
  const where = `s3://${location.bucket}/${location.prefix}`;
  let token: string | undefined;
  let found = 0;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: token, ...(pageSize === undefined ? {} : { MaxKeys: pageSize }) }));
    } catch (e) {
      if (awsErrorCode(e) === 'NoSuchBucket') {
        throw new SourceError('s3', 'ListObjectsV2', `${where}: no such bucket "${location.bucket}" (NoSuchBucket): check the name and the region`, { code: 'SOURCE_MISSING', cause: e });
      }
      throw toSourceError(e, 's3', 'ListObjectsV2');
    }
    for (const entry of page.Contents ?? []) {
      const key = entry.Key;
      if (key === undefined || !isInputName(key)) continue;
      found++;
      yield { name: `s3://${location.bucket}/${key}`, open: () => openObject(client, location.bucket, key) };
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token);
  if (found === 0) throw new SourceError('s3', 'ListObjectsV2', `${where}: no ${EXPECTED} under this prefix`, { code: 'SOURCE_MISSING' });
}

async function openObject(client: S3Client, bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
  const response = await callAws('s3', 'GetObject', () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  const body = response.Body as unknown as AsyncIterable<Uint8Array> | undefined;
  if (body === undefined || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
    throw new SourceError('s3', 'GetObject', `s3://${bucket}/${key}: the object has no readable body`);
  }
  return body;
}

/**
 * Findings from the objects under an S3 location (see FindingsInputSource).
 * @param pageSize keys per ListObjectsV2 page; default S3's (1,000).
 */
export function s3FindingsSource(client: S3Client, location: S3Location, pageSize?: number): FindingsInputSource {
  return new FindingsInputSource(() => s3FindingsObjects(client, location, pageSize), 's3');
}
