import { expect } from 'chai';
import { DEFAULT_POLICY, resolvePolicy } from '../../../../domain/policy.js';
import { BOD_26_04_TABLE, dueDate, remediationTimeline } from '../../../../domain/risk/timeline.js';
import type { TechnicalImpact, Timeline } from '../../../../domain/risk/finding-assessment.js';
import { T0 } from '../../../builders.js';

// CISA BOD 26-04 table, copied from docs/decision-model.md by hand (not from the implementation):
// in KEV | exposed | automatable | technical impact | timeline
const EXPECTED = `
no  | no  | no  | partial | fix on system upgrade
yes | no  | no  | partial | 14 days
no  | yes | no  | partial | 60 days
no  | no  | yes | partial | 60 days
no  | no  | no  | total   | fix on system upgrade
yes | yes | no  | partial | 14 days
yes | no  | yes | partial | 14 days
no  | yes | yes | partial | 14 days
yes | no  | no  | total   | 14 days
no  | yes | no  | total   | 14 days
no  | no  | yes | total   | 60 days
yes | yes | yes | partial | 3 days
yes | yes | no  | total   | 3 days and forensic investigation
yes | no  | yes | total   | 3 days and forensic investigation
no  | yes | yes | total   | 3 days
yes | yes | yes | total   | 3 days and forensic investigation
`;

const DAY = 86_400_000;
const rows = EXPECTED.trim().split('\n').map((line) => line.split('|').map((c) => c.trim()));

describe('remediationTimeline (BOD 26-04)', () => {
  for (const [kev, exposed, automatable, impact, timeline] of rows) {
    it(`KEV ${kev}, exposed ${exposed}, automatable ${automatable}, ${impact} -> ${timeline}`, () => {
      // Arrange
      const inputs = { inKev: kev === 'yes', exposed: exposed === 'yes', automatable: automatable === 'yes', technicalImpact: impact as TechnicalImpact };

      // Act
      const result = remediationTimeline(inputs);

      // Assert
      expect(result).to.equal(timeline as Timeline);
    });
  }

  it('exports the table as data: 16 distinct rows agreeing with the lookup', () => {
    const keys = new Set(BOD_26_04_TABLE.map((r) => `${r.inKev}|${r.exposed}|${r.automatable}|${r.technicalImpact}`));

    expect(BOD_26_04_TABLE).to.have.length(16);
    expect(keys.size).to.equal(16);
    for (const r of BOD_26_04_TABLE) expect(remediationTimeline(r)).to.equal(r.timeline);
  });
});

describe('dueDate', () => {
  const cases: ReadonlyArray<[Timeline, number | null]> = [
    ['3 days and forensic investigation', 3],
    ['3 days', 3],
    ['14 days', 14],
    ['60 days', 60],
    ['fix on system upgrade', null],
  ];
  for (const [timeline, days] of cases) {
    it(`default policy: ${timeline} -> ${days === null ? 'no due date' : `firstObservedAt + ${days} days`}`, () => {
      const due = dueDate(timeline, T0, DEFAULT_POLICY);

      expect(due).to.equal(days === null ? null : T0 + days * DAY);
    });
  }

  const custom = resolvePolicy({ timelineDays: { threeDays: 7, fourteenDays: 30, sixtyDays: 90 } });
  const customCases: ReadonlyArray<[Timeline, number | null]> = [
    ['3 days and forensic investigation', 7],
    ['3 days', 7],
    ['14 days', 30],
    ['60 days', 90],
    ['fix on system upgrade', null],
  ];
  for (const [timeline, days] of customCases) {
    it(`custom policy 7 / 30 / 90: ${timeline} -> ${days === null ? 'no due date' : `+${days} days`}`, () => {
      const due = dueDate(timeline, T0, custom);

      expect(due).to.equal(days === null ? null : T0 + days * DAY);
    });
  }
});
