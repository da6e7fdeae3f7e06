import { expect } from 'chai';
import { ForbiddenError, ValidationError } from '../../../../domain/errors.js';
import { scheduleSpec, type ScheduleInput } from '../../../../domain/patch/schedule.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../../domain/policy.js';
import { ALICE, BOB } from '../../../patch-builders.js';

function spec(over: Partial<ScheduleInput> = {}): ReturnType<typeof scheduleSpec> {
  return scheduleSpec({ instanceIds: ['i-1', 'i-2'], schedule: 'cron(0 3 ? * SUN *)', actor: BOB, policy: DEFAULT_POLICY, suffix: 'ab12cd34', ...over });
}

describe('patch schedules', () => {
  it('an approver schedules instances with the policy\'s window length and rollout limits', () => {
    const policy = resolvePolicy({ rollout: { alarms: ['web-5xx'] } });

    expect(spec({ policy })).to.deep.equal({
      name: 'sre-ops-patch-ab12cd34', schedule: 'cron(0 3 ? * SUN *)', durationHours: 3, cutoffHours: 1,
      target: { kind: 'instances', instanceIds: ['i-1', 'i-2'] }, rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '1', alarms: ['web-5xx'],
    });
  });

  it('targets a patch group by the policy\'s tag, and prefixes a given name', () => {
    const s = spec({ instanceIds: [], patchGroup: 'web-prod', name: 'web-weekly', reboot: 'never' });

    expect(s.target).to.deep.equal({ kind: 'patch-group', tagKey: 'Patch Group', value: 'web-prod' });
    expect(s.name).to.equal('sre-ops-web-weekly');
    expect(s.rebootOption).to.equal('NoReboot');
  });

  it('operators may not schedule (a schedule is a standing approval)', () => {
    expect(() => spec({ actor: ALICE })).to.throw(ForbiddenError);
  });

  it('takes rate and at expressions', () => {
    expect(spec({ schedule: 'rate(7 days)' }).schedule).to.equal('rate(7 days)');
    expect(spec({ schedule: 'at(2026-12-01T03:00:00)' }).schedule).to.equal('at(2026-12-01T03:00:00)');
  });

  const BAD: readonly [string, Partial<ScheduleInput>, string][] = [
    ['a 5-field cron', { schedule: 'cron(0 3 * * 0)' }, 'schedule'],
    ['a duration of 25 hours', { durationHours: 25 }, 'durationHours'],
    ['a cutoff not below the duration', { durationHours: 2, cutoffHours: 2 }, 'cutoffHours'],
    ['both instances and a patch group', { patchGroup: 'web' }, 'patchGroup'],
    ['no target', { instanceIds: [] }, 'instances'],
    ['51 instances', { instanceIds: Array.from({ length: 51 }, (_, k) => `i-${k}`) }, 'instances'],
    ['a name with spaces', { name: 'my window' }, 'name'],
  ];
  for (const [what, over, field] of BAD) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(() => spec(over)).to.throw(ValidationError).with.property('field', field);
    });
  }
});
