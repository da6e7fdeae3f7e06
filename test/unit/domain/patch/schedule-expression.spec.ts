import { expect } from 'chai';
import { ValidationError } from '../../../../domain/errors.js';
import { checkScheduleExpression } from '../../../../domain/patch/schedule-expression.js';

// The rules of the Systems Manager reference "Cron and rate expressions for Systems Manager"
// (maintenance windows: six cron fields, rate(value unit), at(timestamp)).
describe('SSM schedule expressions', () => {
  const GOOD = [
    'cron(0 3 ? * SUN *)',
    'cron(30 23 ? * TUE#3 *)',
    'cron(0 10 * * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0 2 L * ? *)',
    'cron(0 2 15W * ? *)',
    'cron(15 10 ? * 6L *)',
    'cron(0 0 ? JAN,JUL MON,WED,FRI 2026-2030)',
    'cron(0 0 21 1/1 ? *)',
    'rate(1 day)',
    'rate(7 days)',
    'rate(2 hours)',
    'rate(30 minutes)',
    'at(2026-12-01T03:00:00)',
  ];
  for (const e of GOOD) it(`accepts ${e}`, () => expect(() => checkScheduleExpression(e)).not.to.throw());

  const BAD: readonly [string, RegExp][] = [
    ['cron(99 99 ? * FOO *)', /minutes "99": 99 is outside 0-59/],
    ['cron(0 24 ? * SUN *)', /hours "24": 24 is outside 0-23/],
    ['cron(0 3 ? * FOO *)', /day-of-week "FOO": "FOO" is not a value of day-of-week \(1-7 or SUN-SAT\)/],
    ['cron(0 3 32 * ? *)', /day-of-month "32"/],
    ['cron(0 3 ? 13 SUN *)', /month "13"/],
    ['cron(0 3 ? * SUN 1969)', /year "1969"/],
    ['cron(0 3 * * 0)', /six fields .* got 5/],
    ['cron(0 3 * * SUN *)', /cannot both be set: put "\?" in one of them/],
    ['cron(0 3 ? * ? *)', /one of day-of-month and day-of-week must be given/],
    ['cron(? 3 * * ? *)', /minutes "\?": "\?" is allowed only in day-of-month and day-of-week/],
    ['cron(0 3 ? * TUE#6 *)', /number in the month is 1 to 5/],
    ['cron(0 3 ? * TUE#1,FRI#3 *)', /alone in the field/],
    ['cron(0 3 ? * MON/2 *)', /"\/" is not allowed in day-of-week/],
    ['cron(0/0 3 ? * SUN *)', /increment after "\/"/],
    ['cron(0 3L ? * SUN *)', /hours "3L"/],
    ['rate(0 days)', /not a positive whole number/],
    ['rate(1 days)', /takes the singular: rate\(1 day\)/],
    ['rate(5 hour)', /takes the plural: rate\(5 hours\)/],
    ['rate(2 weeks)', /not minute\(s\), hour\(s\) or day\(s\)/],
    ['at(2026-02-30T03:00:00)', /not a real date/],
    ['every sunday', /expected an SSM schedule/],
  ];
  for (const [e, message] of BAD) {
    it(`refuses ${e}, saying why`, () => {
      expect(() => checkScheduleExpression(e)).to.throw(ValidationError, message).with.property('field', 'schedule');
    });
  }
});
