import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type AssistantOptions } from '../../../composition/index.js';
import { missingPackages, requirePackages } from '../../../composition/optional-packages.js';
import { DEMO_FLEET } from '../../support/paths.js';

chai.use(chaiAsPromised);
const { expect } = chai;
const NOW = '2026-11-20T12:00:00Z';

describe('the library\'s options (issue 15, item 7)', function () {
  this.timeout(20_000);
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'sre-ops-lib-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('has no state store unless one is passed: the CLI\'s file is neither read nor written', async () => {
    // The CLI records an acceptance in its own file under this config folder ...
    const env = { XDG_CONFIG_HOME: home };
    const cli = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW, env, stateStore: { kind: 'sqlite' } });
    await cli.acceptRisk(cli.actor, { vulnerabilityId: 'CVE-2024-6387', instance: null, until: '2026-12-31', reason: 'compensating control' });
    await cli.close();
    const cliFile = join(home, 'sre-ops-assistant', 'state.db');
    expect(existsSync(cliFile)).to.equal(true);

    // ... which a library user with the same environment and no stateStore does not see,
    const lib = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW, env });
    try {
      expect(await lib.listAcceptances(lib.actor, { includeExpired: true })).to.deep.equal([]);
      const accepted = (await lib.assessFleet()).assets.flatMap((a) => a.findings).filter((f) => f.vulnerabilityId === 'CVE-2024-6387');
      expect(accepted.length).to.be.above(0);
      // and a change is refused, naming the option, instead of landing in the CLI's file.
      const refused = await lib.acceptRisk(lib.actor, { vulnerabilityId: 'CVE-2023-4911', instance: null, until: '2026-12-31', reason: 'x' }).then(() => null, (e: unknown) => e);
      expect(refused).to.include({ name: 'ValidationError', field: 'stateStore' });
      expect((refused as Error).message).to.match(/^stateStore: this Assistant has no state store/);
    } finally {
      await lib.close();
    }
    const again = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, now: NOW, env, stateStore: { kind: 'sqlite' } });
    expect((await again.listAcceptances(again.actor, { includeExpired: true })).map((a) => a.vulnerabilityId)).to.deep.equal(['CVE-2024-6387']);
    await again.close();
  });

  const TYPOS: readonly [string, AssistantOptions, string, string][] = [
    ['a top-level option', { sorce: 'demo' } as AssistantOptions, 'sorce', 'sorce: unknown option; did you mean "source"?'],
    ['an aws option', { aws: { regoin: 'eu-west-1' } } as unknown as AssistantOptions, 'aws.regoin', 'aws.regoin: unknown option; did you mean "aws.region"?'],
    ['a state store option', { stateStore: { kind: 'sqlite', paht: '/tmp/x.db' } } as unknown as AssistantOptions, 'stateStore.paht', 'stateStore.paht: unknown option; did you mean "stateStore.path"?'],
    ['an option like nothing known', { frobnicate: 1 } as unknown as AssistantOptions, 'frobnicate', 'frobnicate: unknown option; expected one of source, policy,'],
    ['an endpoint that is not a URL', { aws: { endpointUrl: 'not-a-url' } }, 'aws.endpointUrl', 'aws.endpointUrl: expected an http:// or https:// URL'],
  ];
  for (const [what, options, field, message] of TYPOS) {
    it(`refuses ${what} by name`, async () => {
      const err = await createAssistant(options).then(() => null, (e: unknown) => e);
      // By name and field, not class: the sources run with tsx may hold two copies of the class.
      expect(err).to.include({ name: 'ValidationError', field });
      expect((err as Error).message.startsWith(message), (err as Error).message).to.equal(true);
    });
  }

  it('names every missing optional package, not only the first', () => {
    expect(missingPackages(['koa', 'no-such-package-a', 'zod', 'no-such-package-b'])).to.deep.equal(['no-such-package-a', 'no-such-package-b']);
    expect(() => requirePackages('sre-ops-assistant/http', ['koa', 'no-such-package-a', 'no-such-package-b']))
      .to.throw(/^sre-ops-assistant\/http needs the optional packages no-such-package-a, no-such-package-b: /);
  });
});
