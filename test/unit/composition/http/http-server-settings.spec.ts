import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../../adapters/inbound/http/api-keys.js';
import { resolveSettings } from '../../../../composition/http-server.js';
import { ValidationError } from '../../../../domain/errors.js';

chai.use(chaiAsPromised);
const { expect } = chai;

const KEYS = JSON.stringify([{ name: 'ci', sha256: sha256Hex('k'), scopes: ['read'] }]);

describe('http-server settings (flags over environment over defaults)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'sre-ops-settings-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults: port 8000 on all interfaces, 5-minute cache, 25-second drain', async () => {
    const s = await resolveSettings({}, { SRE_OPS_API_KEYS: KEYS });

    expect(s).to.deep.include({ port: 8000, host: '0.0.0.0', keysFrom: 'SRE_OPS_API_KEYS', insecureNoAuth: false, cacheTtlMs: 300_000, drainMs: 25_000, trustProxy: false, logLevel: 'info' });
    expect(s.keys).to.deep.equal([{ name: 'ci', sha256: sha256Hex('k'), scopes: ['read'] }]);
  });

  it('environment and flags; a flag wins over its variable, the key file over SRE_OPS_API_KEYS', async () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify([{ name: 'from-file', sha256: sha256Hex('f'), scopes: ['operate'] }]));
    const s = await resolveSettings({ port: '9000', apiKeysFile: file }, { PORT: '7000', HOST: '127.0.0.1', SRE_OPS_API_KEYS: KEYS, SRE_OPS_CACHE_TTL_SECONDS: '0', SRE_OPS_TRUST_PROXY: 'true', LOG_LEVEL: 'warn' });

    expect(s).to.deep.include({ port: 9000, host: '127.0.0.1', keysFrom: file, cacheTtlMs: 0, trustProxy: true, logLevel: 'warn' });
    expect(s.keys.map((k) => k.name)).to.deep.equal(['from-file']);
  });

  it('no key: refused unless insecureNoAuth', async () => {
    await expect(resolveSettings({}, {})).to.be.rejectedWith(ValidationError, /^no API key configured/);
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: '[]' })).to.be.rejectedWith(ValidationError, /^no API key configured/);
    expect((await resolveSettings({ insecureNoAuth: true }, {})).insecureNoAuth).to.equal(true);
  });

  it('insecureNoAuth listens on loopback unless --host is given (HOST alone does not widen it)', async () => {
    expect((await resolveSettings({ insecureNoAuth: true }, {})).host).to.equal('127.0.0.1');
    expect((await resolveSettings({ insecureNoAuth: true }, { HOST: '0.0.0.0' })).host).to.equal('127.0.0.1');
    expect((await resolveSettings({ insecureNoAuth: true, host: '0.0.0.0' }, {})).host).to.equal('0.0.0.0');
    expect((await resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, HOST: '0.0.0.0' })).host).to.equal('0.0.0.0');
  });

  it('errors name the flag or variable', async () => {
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, PORT: 'http' })).to.be.rejectedWith(/^PORT: expected a whole number from 0 to 65535, got "http"/);
    await expect(resolveSettings({ port: 70000 }, { SRE_OPS_API_KEYS: KEYS })).to.be.rejectedWith(/^--port: expected a whole number from 0 to 65535, got "70000"/);
    await expect(resolveSettings({ apiKeysFile: join(dir, 'none.json') }, {})).to.be.rejectedWith(/^--api-keys .*none\.json: no such file/);
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: 'name=ci' })).to.be.rejectedWith(/^SRE_OPS_API_KEYS: not valid JSON/);
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, LOG_LEVEL: 'loud' })).to.be.rejectedWith(/^LOG_LEVEL: expected one of/);
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, SRE_OPS_DRAIN_SECONDS: '-1' })).to.be.rejectedWith(/^SRE_OPS_DRAIN_SECONDS/);
  });

  it('console settings: a session secret of 32 characters or more, an ALB ARN, a key URL template with {kid}', async () => {
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/sre-ops/0123456789abcdef';
    const s = await resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, SRE_OPS_SESSION_SECRET: 'x'.repeat(32), SRE_OPS_ALB_SIGNER_ARN: arn, SRE_OPS_SESSION_HOURS: '2' });
    expect(s.console).to.deep.equal({ sessionSecret: 'x'.repeat(32), sessionHours: 2, albSignerArn: arn, oidcIdentityClaim: 'email' });
    expect((await resolveSettings({}, { SRE_OPS_API_KEYS: KEYS })).console).to.deep.equal({ sessionHours: 8, oidcIdentityClaim: 'email' });
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, SRE_OPS_SESSION_SECRET: 'short' })).to.be.rejectedWith(/^SRE_OPS_SESSION_SECRET: expected at least 32 characters/);
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, SRE_OPS_ALB_SIGNER_ARN: 'arn:aws:iam::1:role/x' })).to.be.rejectedWith(/^SRE_OPS_ALB_SIGNER_ARN: expected an application load balancer ARN/);
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, SRE_OPS_ALB_KEY_URL: 'http://127.0.0.1/keys' })).to.be.rejectedWith(/^SRE_OPS_ALB_KEY_URL: expected an http\(s\) URL template containing \{kid\}/);
    await expect(resolveSettings({}, { SRE_OPS_API_KEYS: KEYS, SRE_OPS_SESSION_HOURS: '0' })).to.be.rejectedWith(/^SRE_OPS_SESSION_HOURS/);
  });
});
