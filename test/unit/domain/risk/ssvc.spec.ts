import { expect } from 'chai';
import type { Mission } from '../../../../domain/policy.js';
import { SSVC_COORDINATOR_TABLE, ssvcOutcome } from '../../../../domain/risk/ssvc.js';
import type { Exploitation, SsvcOutcome, TechnicalImpact } from '../../../../domain/risk/finding-assessment.js';

// CISA coordinator table v2.0.3, copied from docs/decision-model.md by hand (not from the implementation):
// exploitation | automatable | technical impact | low | medium | high
const EXPECTED = `
none       | no  | partial | track  | track  | track
none       | no  | total   | track  | track  | track*
none       | yes | partial | track  | track  | attend
none       | yes | total   | track  | track  | attend
public poc | no  | partial | track  | track  | track*
public poc | no  | total   | track  | track* | attend
public poc | yes | partial | track  | track  | attend
public poc | yes | total   | track  | track* | attend
active     | no  | partial | track  | track  | attend
active     | no  | total   | track  | attend | act
active     | yes | partial | attend | attend | act
active     | yes | total   | attend | act    | act
`;

const MISSIONS: readonly Mission[] = ['low', 'medium', 'high'];
const rows = EXPECTED.trim().split('\n').map((line) => line.split('|').map((c) => c.trim()));

describe('ssvcOutcome (CISA coordinator v2.0.3)', () => {
  for (const [exploitation, automatable, impact, ...outcomes] of rows) {
    MISSIONS.forEach((mission, i) => {
      it(`${exploitation} / automatable ${automatable} / ${impact} / mission ${mission} -> ${outcomes[i]}`, () => {
        // Arrange
        const inputs = { exploitation: exploitation as Exploitation, automatable: automatable === 'yes', technicalImpact: impact as TechnicalImpact, mission };

        // Act
        const outcome = ssvcOutcome(inputs);

        // Assert
        expect(outcome).to.equal(outcomes[i] as SsvcOutcome);
      });
    });
  }

  it('exports the table as data: 12 rows, 36 outcomes, each agreeing with the lookup', () => {
    const outcomes = SSVC_COORDINATOR_TABLE.flatMap((r) => MISSIONS.map((m) => ({ r, m, o: r.outcomes[m] })));

    expect(SSVC_COORDINATOR_TABLE).to.have.length(12);
    expect(outcomes).to.have.length(36);
    for (const { r, m, o } of outcomes) {
      expect(ssvcOutcome({ exploitation: r.exploitation, automatable: r.automatable, technicalImpact: r.technicalImpact, mission: m })).to.equal(o);
    }
  });

  it('the expected table itself has 36 distinct combinations (guards the copy above)', () => {
    const keys = new Set(rows.flatMap(([e, a, t]) => MISSIONS.map((m) => `${e}|${a}|${t}|${m}`)));

    expect(keys.size).to.equal(36);
  });
});
