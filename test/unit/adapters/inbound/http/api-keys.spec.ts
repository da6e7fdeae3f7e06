import { expect } from 'chai';
import { ApiKeyVerifier, parseApiKeys, parseApiKeysText, principalFor, sha256Hex } from '../../../../../adapters/inbound/http/api-keys.js';
import { ValidationError } from '../../../../../domain/errors.js';

const entry = (over: Record<string, unknown> = {}) => ({ name: 'ci-bot', sha256: sha256Hex('k-1'), scopes: ['read'], ...over });

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('API keys', () => {
  describe('parseApiKeys', () => {
    it('accepts names, hex hashes (any case) and scopes, normalizing the hash and dropping repeated scopes', () => {
      const keys = parseApiKeys([entry({ sha256: sha256Hex('k-1').toUpperCase(), scopes: ['read', 'approve', 'read'] })], 'SRE_OPS_API_KEYS');

      expect(keys).to.deep.equal([{ name: 'ci-bot', sha256: sha256Hex('k-1'), scopes: ['read', 'approve'] }]);
    });

    it('names the entry and field at fault', () => {
      const cases: [unknown, string, RegExp][] = [
        [{}, 'SRE_OPS_API_KEYS', /expected a JSON array/],
        [[entry({ sha256: 'abc' })], 'SRE_OPS_API_KEYS[0].sha256', /64 hex digits/],
        [[entry(), entry({ name: 'ops bot', sha256: sha256Hex('k-2') })], 'SRE_OPS_API_KEYS[1].name', /letters, digits/],
        [[entry({ scopes: [] })], 'SRE_OPS_API_KEYS[0].scopes', /at least one scope/],
        [[entry({ scopes: ['admin'] })], 'SRE_OPS_API_KEYS[0].scopes[0]', /read, operate, approve/],
        [[{ ...entry(), key: 'plain' }], 'SRE_OPS_API_KEYS[0]', /Unrecognized key/],
        [[entry(), entry({ sha256: sha256Hex('k-2') })], 'SRE_OPS_API_KEYS[1].name', /used twice/],
        [[entry(), entry({ name: 'other' })], 'SRE_OPS_API_KEYS[1].sha256', /configured twice \(as "ci-bot" and "other"\)/],
      ];
      for (const [json, field, message] of cases) {
        const e = errorOf(() => parseApiKeys(json, 'SRE_OPS_API_KEYS'));
        expect(e.field, JSON.stringify(json)).to.equal(field);
        expect(e.message, JSON.stringify(json)).to.match(message);
        expect(e.message.startsWith(`${field}: `), e.message).to.equal(true);
      }
    });

    it('a file that is not JSON is refused with its name', () => {
      const e = errorOf(() => parseApiKeysText('[{name:', '/etc/keys.json'));

      expect(e.message).to.match(/^\/etc\/keys\.json: not valid JSON/);
    });
  });

  describe('ApiKeyVerifier', () => {
    const verifier = new ApiKeyVerifier(parseApiKeys([entry(), entry({ name: 'approver', sha256: sha256Hex('k-2'), scopes: ['read', 'approve'] })], 'keys'));

    it('finds the key whose hash matches, as a principal with the key\'s name and roles from its scopes', () => {
      expect(verifier.verify('k-2')).to.deep.equal({
        name: 'approver',
        scopes: ['read', 'approve'],
        actor: { id: 'approver', roles: ['viewer', 'approver'], via: 'http' },
      });
    });

    it('refuses a wrong, empty, missing or absurdly long key', () => {
      for (const k of ['k-3', 'k-1 ', 'K-1', '', undefined, 'x'.repeat(513)]) expect(verifier.verify(k), String(k).slice(0, 10)).to.equal(null);
    });
  });

  it('maps scopes to roles: read → viewer, operate → operator, approve → approver', () => {
    expect(principalFor({ name: 'x', scopes: ['read', 'operate', 'approve'] }).actor.roles).to.deep.equal(['viewer', 'operator', 'approver']);
  });
});
