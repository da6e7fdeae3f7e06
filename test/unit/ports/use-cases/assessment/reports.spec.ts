import { expect } from 'chai';
import { SourceError } from '../../../../../domain/errors.js';
import { secondary, warningFrom } from '../../../../../ports/use-cases/shared/warnings.js';

describe('secondary source warnings', () => {
  it('turns a SourceError into a warning naming service, operation and code', async () => {
    const warnings: string[] = [];

    const value = await secondary(warnings, 'cloudwatch', 'GetMetricData', async () => {
      throw new SourceError('cloudwatch', 'GetMetricData', 'rate exceeded', { code: 'Throttling' });
    }, 'fallback');

    expect(value).to.equal('fallback');
    expect(warnings).to.deep.equal(['cloudwatch:GetMetricData (Throttling): rate exceeded; the answer is partial']);
  });

  it('rethrows programming errors instead of hiding them in a warning', () => {
    expect(() => warningFrom('ssm', 'X', new TypeError('undefined is not a function'))).to.throw(TypeError);
  });
});
