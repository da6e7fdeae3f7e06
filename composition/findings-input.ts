/**
 * The `findings` option (`--findings`): findings from Inspector2's own exports (a findings
 * report in S3 or on disk, archived EventBridge events) in place of the source's findings, while
 * the rest of the fleet still comes from the source. The adapters are loaded on demand: the S3
 * SDK only when an s3:// location is named.
 */
import { ValidationError } from '../domain/errors.js';
import type { FindingsSource } from '../ports/outbound/findings-source.port.js';
import { parseFindingsInput, type AwsOptions } from './config.js';

/** The findings adapter for the option, what reports call it, and how to release it. */
export interface FindingsInputBinding {
  readonly source: FindingsSource;
  /** e.g. `findings:s3://bucket/prefix`, added to the report's source label. */
  readonly label: string;
  readonly close: () => void;
}

/**
 * @throws ValidationError naming findings (a malformed location) or region (an s3:// location
 *   with no AWS region configured).
 */
export async function findingsInputBinding(findings: string, aws: AwsOptions): Promise<FindingsInputBinding> {
  const spec = parseFindingsInput(findings);
  if (spec.kind === 'local') {
    const { localFindingsSource } = await import('../adapters/outbound/findings-files/local-findings-objects.js');
    return { source: localFindingsSource(spec.path), label: `findings:${spec.path}`, close: () => undefined };
  }
  const { parseS3Url, s3FindingsSource } = await import('../adapters/outbound/aws/s3-findings-objects.js');
  const { createS3Client } = await import('../adapters/outbound/aws/aws-clients.js');
  const location = parseS3Url(spec.url, 'findings');
  const client = await createS3Client({ ...aws });
  try {
    await client.config.region();
  } catch {
    client.destroy();
    throw new ValidationError('region', 'an AWS region', 'region: no AWS region configured for --findings s3://...; pass --region or set AWS_REGION (or a region in your profile)');
  }
  return { source: s3FindingsSource(client, location), label: `findings:${spec.url}`, close: () => client.destroy() };
}
