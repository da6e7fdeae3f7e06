/**
 * A JSON secret from AWS Secrets Manager, e.g. `{"signingSecret": "...", "botToken": "..."}`.
 * Errors name the secret and what was wrong, never a value.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SourceError } from '../../../domain/errors.js';

export class SecretsManagerJsonSecret {
  constructor(private readonly client: Pick<SecretsManagerClient, 'send'>) {}

  /** The secret's string fields. @throws SourceError naming the secret id. */
  async read(secretId: string): Promise<Readonly<Record<string, string>>> {
    let text: string | undefined;
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      text = out.SecretString ?? (out.SecretBinary ? new TextDecoder().decode(out.SecretBinary) : undefined);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      throw new SourceError('secretsmanager', 'GetSecretValue', `secret ${secretId}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, { cause: err, code: e.name ?? 'SecretsManagerError' });
    }
    if (text === undefined) throw new SourceError('secretsmanager', 'GetSecretValue', `secret ${secretId} has no value`, { code: 'EmptySecret' });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // The parser's message quotes the text: it must not reach a log.
      throw new SourceError('secretsmanager', 'GetSecretValue', `secret ${secretId} is not JSON (expected an object of strings)`, { code: 'SecretNotJson' });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new SourceError('secretsmanager', 'GetSecretValue', `secret ${secretId} is not a JSON object of strings`, { code: 'SecretNotJson' });
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(json)) if (typeof v === 'string') out[k] = v;
    return out;
  }
}
