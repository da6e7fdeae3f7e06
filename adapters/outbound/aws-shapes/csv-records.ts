/**
 * RFC 4180 CSV from a byte stream, one record at a time: fields separated by commas, quoted
 * with `"` (a quote inside doubled), records ended by CRLF or LF, line breaks allowed inside
 * quotes. Memory is one chunk plus the record being read.
 */
import { StringDecoder } from 'node:string_decoder';

/** One record and the line it starts on (1-based). */
export interface CsvRecord {
  readonly fields: readonly string[];
  readonly line: number;
}

/** The CSV is broken at `line` (an unterminated quote, text after a closing quote). */
export class CsvError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvError';
  }
}

/**
 * The records of a CSV byte stream (UTF-8; a byte order mark is skipped). Blank lines are skipped.
 * @throws CsvError on broken quoting.
 */
export async function* csvRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<CsvRecord> {
  const decoder = new StringDecoder('utf8');
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let afterQuote = false; // a quoted field just closed (or a doubled quote is pending)
  let line = 1;
  let recordLine = 1;
  let first = true;
  let pendingCr = false;
  const ready: CsvRecord[] = [];

  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) ready.push({ fields, line: recordLine });
    fields = [];
    field = '';
    afterQuote = false;
  };

  const consume = (text: string): void => {
    let start = 0; // start of the unquoted run being accumulated
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (pendingCr) {
        pendingCr = false;
        if (c === 0x0a) {
          start = i + 1;
          continue;
        }
      }
      if (quoted) {
        if (c === 0x22) {
          field += text.slice(start, i);
          quoted = false;
          afterQuote = true;
          start = i + 1;
        } else if (c === 0x0a) line++;
        continue;
      }
      if (afterQuote && c === 0x22) {
        // "" inside a quoted field: one quote, and the field goes on.
        field += '"';
        quoted = true;
        afterQuote = false;
        start = i + 1;
        continue;
      }
      if (c === 0x2c) {
        field += text.slice(start, i);
        fields.push(field);
        field = '';
        afterQuote = false;
        start = i + 1;
      } else if (c === 0x0a || c === 0x0d) {
        field += text.slice(start, i);
        endRecord();
        if (c === 0x0d) pendingCr = true;
        line++;
        recordLine = line;
        start = i + 1;
      } else if (afterQuote) {
        throw new CsvError(line, 'text after a closing quote (a quote inside a quoted field must be doubled)');
      } else if (c === 0x22) {
        if (i !== start || field !== '') throw new CsvError(line, 'a quote inside an unquoted field');
        quoted = true;
        start = i + 1;
      }
    }
    field += text.slice(start);
  };

  for await (const chunk of chunks) {
    let text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    consume(text);
    for (const r of ready) yield r;
    ready.length = 0;
  }
  consume(decoder.end());
  if (quoted) throw new CsvError(recordLine, 'the input ends inside a quoted field (cut short?)');
  if (field !== '' || fields.length > 0) endRecord();
  for (const r of ready) yield r;
}
