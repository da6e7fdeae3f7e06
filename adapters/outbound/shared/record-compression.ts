/**
 * The compression of a recorded assessment's encoding (Brotli: the encoding's JSON shrinks some
 * 10 to 20 fold), one for every store that keeps history (SQLite, DynamoDB), so what one writes
 * the other would read alike. Node's zlib, so not in the domain codec (domain/history/record-codec.ts).
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

export function compressRecord(text: string): Buffer {
  return brotliCompressSync(Buffer.from(text, 'utf8'), { params: { [constants.BROTLI_PARAM_QUALITY]: 7, [constants.BROTLI_PARAM_SIZE_HINT]: text.length } });
}

export function decompressRecord(body: Uint8Array): string {
  return brotliDecompressSync(body).toString('utf8');
}
