import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Container } from 'inversify';
import { FixedClock } from '../../../adapters/outbound/clock/system-clock.js';
import type { Clock } from '../../../ports/outbound/clock.port.js';
import type { FindingsSource } from '../../../ports/outbound/findings-source.port.js';
import { buildContainer } from '../../../composition/container.js';
import { DEMO_FLEET_DIR } from '../../../composition/config.js';
import { TOKENS, type Token } from '../../../composition/tokens.js';

/**
 * The container's tokens carry their types. The `@ts-expect-error` lines are the test that matters:
 * `tsc -p tsconfig.json` (run by `npm test` before mocha) fails if any of them compiles.
 */
describe('composition/tokens: typed service identifiers', () => {
  it('refuses, at compile time, a binding or a get of the wrong type', () => {
    const c = new Container();
    // @ts-expect-error a number is not a FindingsSource
    c.bind(TOKENS.FindingsSource).toConstantValue(42);
    // @ts-expect-error a Clock is not a FindingsSource
    c.bind(TOKENS.FindingsSource).toConstantValue(new FixedClock(0));
    c.bind(TOKENS.Clock).toConstantValue(new FixedClock(7));
    const swapped = (): void => {
      // @ts-expect-error swapped tokens: the Clock token gives a Clock, not a FindingsSource
      const wrong: FindingsSource = c.get(TOKENS.Clock);
      void wrong;
    };
    void swapped;
    const clock: Clock = c.get(TOKENS.Clock);
    expect(clock.now()).to.equal(7);
  });

  it('resolves every use case through its token, the thirteen patch use cases included', async () => {
    const c = await buildContainer({ source: `snapshot:${DEMO_FLEET_DIR}`, now: '2026-11-20T12:00:00Z', stateStore: { kind: 'sqlite', path: join(tmpdir(), `tokens-${process.pid}.db`) } });
    for (const [name, token] of Object.entries(TOKENS)) {
      expect(c.get(token as Token<unknown>), name).to.not.equal(undefined);
    }
    const ops = c.get(TOKENS.PatchOperations);
    const view = c.get(TOKENS.ViewPatchRuns);
    expect(c.get(TOKENS.ViewPatchRuns)).to.equal(view); // one instance per container
    expect(Object.keys(ops).sort()).to.include.members(['acceptRisk', 'executePatchRun', 'requestPatchRun', 'cancelSchedule']);
    await c.get(TOKENS.Assistant).close();
  });
});
