import { expect } from 'chai';
import { auditDetail, MAX_AUDIT_DETAIL } from '../../../../domain/access/audit.js';

describe('audit details', () => {
  it('redacts AWS access keys, secrets, session tokens, Slack tokens, bearer tokens and passwords', () => {
    const text = [
      'key AKIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '"SessionToken": "IQoJb3JpZ2luX2VjEXAMPLE"',
      'xoxb-123456789012-abcdefghijkl',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
      'password: hunter22',
    ].join(' ');

    const out = auditDetail(text) as string;

    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'IQoJb3JpZ2luX2VjEXAMPLE', 'xoxb-123456789012', 'eyJhbGciOiJIUzI1NiJ9', 'hunter22']) {
      expect(out).to.not.include(secret);
    }
    expect(out).to.include('[redacted access key]').and.include('Bearer [redacted]');
  });

  it('keeps ordinary detail as written, on one line', () => {
    expect(auditDetail('wave 2: command 5f2e sent to i-0abc,\n i-0def')).to.equal('wave 2: command 5f2e sent to i-0abc, i-0def');
  });

  it('bounds the length and turns empty into null', () => {
    expect((auditDetail('x'.repeat(5000)) as string).length).to.equal(MAX_AUDIT_DETAIL);
    expect(auditDetail('   ')).to.equal(null);
    expect(auditDetail(undefined)).to.equal(null);
  });
});
