import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '../../../composition/config.js';

/**
 * A policy file that is not JSON is refused with the file, the line and the column, never with
 * the text around the error: `--policy` pointed at the wrong file (an .env, a key) must not copy
 * that file's contents into a terminal or a log.
 */
describe('loadPolicy: a policy file that is not JSON', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sre-ops-policy-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function refusal(text: string): Promise<string> {
    const file = join(dir, `p-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, text);
    try {
      await loadPolicy({ policyFile: file });
    } catch (err) {
      return `${(err as Error).message}`;
    }
    throw new Error('loadPolicy accepted a file that is not JSON');
  }

  it('names the line and column and quotes none of the file', async () => {
    const message = await refusal('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n');
    expect(message).to.match(/policy file .*\.json: not valid JSON: line 1, column 1: /);
    expect(message).to.not.include('wJalrXUtnFEMI');
    expect(message).to.not.include('AWS_SECRET');
  });

  it('places an error on a later line', async () => {
    const message = await refusal('{\n  "timelines": {\n    "act": 7,,\n  }\n}\n');
    expect(message).to.match(/line 3, column \d+/);
  });
});
