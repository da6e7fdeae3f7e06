import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultStatePath, resolveStateStore, stateStoreFromEnv } from '../../../composition/config.js';
import { createAssistant } from '../../../composition/index.js';
import { actorResolver, identityKind, LazyStateStore } from '../../../composition/patching.js';
import { ValidationError } from '../../../domain/errors.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../domain/policy.js';
import { DEMO_FLEET } from '../../support/paths.js';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('composition: patch operations wiring', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sre-ops-comp-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('the state store', () => {
    it('the library has none unless given one; { kind: sqlite } is the file under $XDG_CONFIG_HOME, else ~/.config (a relative XDG_CONFIG_HOME is ignored)', () => {
      expect(defaultStatePath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/a' })).to.equal('/x/cfg/sre-ops-assistant/state.db');
      expect(defaultStatePath({ XDG_CONFIG_HOME: 'rel', HOME: '/home/a' })).to.equal('/home/a/.config/sre-ops-assistant/state.db');
      expect(resolveStateStore(undefined, { HOME: '/home/a', SRE_OPS_STATE_TABLE: 't' })).to.equal(null);
      expect(resolveStateStore({ kind: 'sqlite' }, { HOME: '/home/a' })).to.deep.equal({ kind: 'sqlite', path: '/home/a/.config/sre-ops-assistant/state.db' });
    });

    it('for the CLI and services SRE_OPS_STATE_TABLE selects DynamoDB; --state wins over the environment', () => {
      expect(stateStoreFromEnv({ SRE_OPS_STATE_TABLE: 'sre-ops-state' })).to.deep.equal({ kind: 'dynamodb', table: 'sre-ops-state' });
      expect(stateStoreFromEnv({})).to.deep.equal({ kind: 'sqlite' });
      expect(stateStoreFromEnv({ SRE_OPS_STATE_TABLE: 't' }, '/tmp/s.db')).to.deep.equal({ kind: 'sqlite', path: '/tmp/s.db' });
    });

    it('refuses a bad table name or kind, naming the option', () => {
      expect(() => stateStoreFromEnv({ SRE_OPS_STATE_TABLE: 'a b' })).to.throw(ValidationError).with.property('field', 'SRE_OPS_STATE_TABLE');
      expect(() => resolveStateStore({ kind: 'dynamodb', table: '' }, {})).to.throw(ValidationError).with.property('field', 'stateStore.table');
      expect(() => resolveStateStore({ kind: 'redis' } as never, {})).to.throw(ValidationError).with.property('field', 'stateStore.kind');
    });

    it('reads from a state file that does not exist yet answer empty without creating it; the first write creates it', async () => {
      const path = join(dir, 'cfg', 'state.db');
      const store = new LazyStateStore({ kind: 'sqlite', path }, {});

      expect(await store.listAcceptances()).to.deep.equal([]);
      expect(await store.listRuns()).to.deep.equal([]);
      expect(existsSync(path)).to.equal(false);
      await store.appendAudit({ id: 'a-1', at: 0, actor: 'x', via: 'cli', action: 'a', target: 't', result: 'ok', detail: null });
      expect(existsSync(path)).to.equal(true);
      await store.close();
    });
  });

  describe('the actor', () => {
    const policy = resolvePolicy({ access: { actors: { bob: ['approver'], 'arn:aws:sts::123456789012:assumed-role/Approvers/*': ['approver'] } } });
    const noAws = async (): Promise<string> => {
      throw new Error('STS must not be asked');
    };
    const resolve = (o: Parameters<typeof actorResolver>[0], p = policy, identity: 'os-user' | 'aws' = 'os-user', arn: () => Promise<string> = noAws) => actorResolver(o, p, {}, identity, arn);

    it('is the OS user, admin by default, via the surface named', async () => {
      expect((await resolve({ localUser: 'carol', via: 'cli' }, DEFAULT_POLICY)).actor).to.deep.equal({ id: 'carol', roles: ['admin'], via: 'cli' });
    });

    it('--actor NAME is a claim by the principal: the roles the policy gives NAME (or others), recorded with who claimed it', async () => {
      expect((await resolve({ localUser: 'carol', actor: 'bob' })).actor).to.deep.equal({ id: 'bob', roles: ['approver'], via: 'library', claimedBy: 'carol' });
      expect((await resolve({ localUser: 'carol', actor: 'mallory' })).actor.roles).to.deep.equal(['viewer']);
    });

    it('an empty or malformed claim is refused by name, never a silent fall back to the OS user', async () => {
      await expect(resolve({ localUser: 'carol', actor: '' })).to.be.rejectedWith(ValidationError, /^actor: expected a name of 1 to 128/);
      await expect(resolve({ localUser: 'carol', actor: 'bad name!' })).to.be.rejectedWith(ValidationError, /got "bad name!"/);
    });

    it('with an AWS identity the principal is the caller ARN, with roles by ARN pattern', async () => {
      const arn = 'arn:aws:sts::123456789012:assumed-role/Approvers/alice';
      const r = await resolve({ localUser: 'root', via: 'cli' }, policy, 'aws', async () => arn);
      expect(r.actor).to.deep.equal({ id: arn, roles: ['approver'], via: 'cli' });
      const claim = await resolve({ localUser: 'root', via: 'cli', actor: 'bob' }, policy, 'aws', async () => arn);
      expect(claim.actor).to.deep.include({ id: 'bob', claimedBy: arn });
    });

    it('the CLI asks AWS who it is on a live account or a shared store, and nowhere else unless told', () => {
      expect(identityKind({ via: 'cli' }, true, false)).to.equal('aws');
      expect(identityKind({ via: 'cli' }, false, true)).to.equal('aws');
      expect(identityKind({ via: 'cli' }, false, false)).to.equal('os-user');
      expect(identityKind({ via: 'http' }, true, true)).to.equal('os-user');
      expect(identityKind({}, true, true)).to.equal('os-user');
      expect(identityKind({ identity: 'aws' }, false, false)).to.equal('aws');
    });

    it('an identity a surface authenticated is never the local user, even spelled the same', async () => {
      const r = await resolve({ localUser: 'carol' });

      expect(r.actorFor('carol', 'slack').roles).to.deep.equal(['viewer']);
      expect(r.actorFor('bob', 'http', 'Bob B.')).to.deep.equal({ id: 'bob', roles: ['approver'], via: 'http', displayName: 'Bob B.' });
    });
  });

  describe('the assistant', () => {
    it('acceptances recorded in the state store suppress findings in the reports', async () => {
      const a = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, stateStore: { kind: 'sqlite', path: join(dir, 's.db') }, localUser: 'carol', now: '2026-11-20T12:00:00Z' });
      try {
        const before = await a.assessFleet();
        const top = before.assets[0]?.findings[0];
        // Patch operations run on real time (the assessment's --now does not move them).
        const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
        await a.acceptRisk(a.actor, { vulnerabilityId: top?.vulnerabilityId as string, instance: null, until, reason: 'test' });
        const after = await a.assessFleet();

        expect(before.summary.accepted).to.equal(0);
        expect(after.summary.accepted).to.be.greaterThan(0);
        expect(after.assets.flatMap((x) => x.findings).some((f) => f.vulnerabilityId === top?.vulnerabilityId)).to.equal(false);
      } finally {
        await a.close();
      }
    });

    it('a snapshot source may request runs but refuses to execute them, saying why', async () => {
      const a = await createAssistant({ source: `snapshot:${DEMO_FLEET}`, stateStore: { kind: 'sqlite', path: join(dir, 's.db') }, localUser: 'carol' });
      try {
        const r = await a.requestPatchRun(a.actor, { instances: ['ci-runner'] });

        expect(r.simulated).to.equal(false);
        // By name, not class: the sources run with tsx may hold two copies of domain/errors.
        const execute = await a.executePatchRun(a.actor, r.id).then(() => null, (e: unknown) => e);
        const schedules = await a.listSchedules(a.actor).then(() => null, (e: unknown) => e);
        expect(execute).to.include({ name: 'ValidationError' });
        expect((execute as Error).message).to.match(/captured copy of an account, not the account.*--source aws/);
        expect(schedules).to.include({ name: 'ValidationError' });
        expect((schedules as Error).message).to.match(/--source aws/);
      } finally {
        await a.close();
      }
    });
  });
});
