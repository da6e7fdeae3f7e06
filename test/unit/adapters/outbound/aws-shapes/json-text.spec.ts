import { expect } from 'chai';
import fc from 'fast-check';
import { lineColumn, locateJsonError, parseJsonText } from '../../../../../adapters/outbound/aws-shapes/index.js';
import { SourceError } from '../../../../../domain/errors.js';

function located(text: string): string {
  try {
    parseJsonText(text, 'f.json', 'snapshot');
  } catch (e) {
    expect(e).to.be.instanceOf(SourceError).and.include({ code: 'SOURCE_BAD_JSON' });
    return (e as Error).message.replace(/^f\.json is not valid JSON: /, '');
  }
  throw new Error('parsed');
}

describe('locating a JSON syntax error ourselves (the same on every Node.js version)', () => {
  it('names the true line and column where V8 on Node 20 gives no position', () => {
    // Node 20: "Unexpected token 'N', ..."... is not valid JSON" (no position, and quoting the text).
    const lines = ['{', ...Array.from({ length: 10 }, (_, i) => `  "k${i}": ${i},`), '  "bad": NotAvailable,', ...Array.from({ length: 900 }, (_, i) => `  "z${i}": ${i},`), '  "end": 1', '}'];

    expect(located(lines.join('\n'))).to.equal('line 12, column 10: expected a value, found a letter (strings need double quotes; the only bare words are true, false and null)');
  });

  it('describes each kind of error without quoting the text', () => {
    const cases: [string, string][] = [
      ['', 'line 1, column 1: the file is empty'],
      ['  \n', 'line 2, column 1: the file is empty'],
      ['{"a": 1,}', "line 1, column 9: expected a double-quoted property name, found '}' (a comma before it?)"],
      ['[1, 2,]', "line 1, column 7: expected a value, found ']' (a comma before it?)"],
      ['{"a" 1}', 'line 1, column 6: expected : after a member name, found a digit'],
      ['{"a": 1 "b": 2}', "line 1, column 9: expected , or } after an object member, found '\"'"],
      ['[1 2]', 'line 1, column 4: expected , or ] after an array element, found a digit'],
      ['{"a": [1, 2}', "line 1, column 12: expected , or ] after an array element, found '}'"],
      ['{"a": 1}\n}', "line 2, column 1: found '}' after the end of the JSON document"],
      ['{"a": "x\ny"}', 'line 1, column 9: a control character (a line break, a tab ...) inside a string: escape it as \\n, \\t ...'],
      ['{"a": "\\x"}', 'line 1, column 8: an invalid escape in a string (a backslash must be written \\\\)'],
      ['{"a": "\\u12g4"}', 'line 1, column 8: an invalid \\u escape in a string (four hex digits expected)'],
      ['{"a": "open', 'line 1, column 12: unexpected end of the file inside a string (a missing closing quote?)'],
      ['{"a": [1, {"b": 2}', 'line 1, column 19: unexpected end of the file (something is cut off or not closed)'],
      ['[01]', 'line 1, column 2: a malformed number'],
      ['[1.]', 'line 1, column 2: a malformed number'],
      ['[-]', 'line 1, column 2: a malformed number'],
      ['[tru]', 'line 1, column 2: expected a value, found a letter (strings need double quotes; the only bare words are true, false and null)'],
      ["{'a': 1}", "line 1, column 2: expected a double-quoted property name, found '''"],
      ['\u00e9', 'line 1, column 1: expected a value, found a non-ASCII character'],
    ];
    for (const [text, message] of cases) expect(located(text), JSON.stringify(text)).to.equal(message);
  });

  it('finds an error exactly when JSON.parse refuses the text (valid documents and random damage)', () => {
    const isValid = (t: string): boolean => {
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('', ',', '}', ']', '{', '[', '"', ':', 'x', ' ', '\\', '0', '-', '.', 'e', '\n'), fc.boolean(), (value, at, insert, drop) => {
        const json = JSON.stringify(value, null, at % 3);
        const i = at % (json.length + 1);
        const damaged = drop ? json.slice(0, i) + json.slice(i + 1) : json.slice(0, i) + insert + json.slice(i);
        expect(locateJsonError(json)).to.equal(null);
        const error = locateJsonError(damaged);
        expect(error === null, damaged).to.equal(isValid(damaged));
        if (error) expect(error.offset).to.be.within(0, damaged.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('survives deep nesting without overflowing the stack', () => {
    expect(locateJsonError('['.repeat(200_000))).to.deep.equal({ offset: 200_000, reason: 'unexpected end of the file (something is cut off or not closed)' });
  });

  it('lineColumn counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 4)).to.deep.equal({ line: 2, column: 2 });
  });
});
