import { SourceError } from '../../../domain/errors.js';

/**
 * JSON.parse for files people capture and edit: a failure names the file and the line and
 * column (V8 reports only a character offset), with code SOURCE_BAD_JSON.
 * @param service the SourceError service, e.g. "snapshot" or "kev".
 */
export function parseJsonText(text: string, file: string, service: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    const { line, column } = lineColumn(text, offset);
    const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new SourceError(service, null, `${file} is not valid JSON: line ${line}, column ${column}: ${reason}`, {
      cause: e,
      code: 'SOURCE_BAD_JSON',
    });
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Bytes of a captured file as text. Windows PowerShell 5 redirects output as UTF-16LE with a byte
 * order mark, and some editors add a UTF-8 one: both are accepted rather than reported as bad JSON.
 */
export function decodeJsonBytes(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.toString('utf16le', 2);
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.toString('utf8', 3);
  return b.toString('utf8');
}
