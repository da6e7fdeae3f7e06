import { expect } from 'chai';
import { checkReason, checkRunRequest } from '../../../../domain/patch/run-request.js';
import {
  DECISION_KINDS, IDEMPOTENCY_KEY, MAX_LOOKBACK_HOURS, MAX_REASON_LENGTH, MISSIONS, REBOOT_OPTIONS,
} from '../../../../domain/vocabulary.js';
import { hoursOption } from '../../../../adapters/inbound/cli/commands/report-commands.js';
import { hoursQuery } from '../../../../adapters/inbound/http/routes/asset-routes.js';
import { acceptRiskRequestSchema, approveRequestSchema, patchRunRequestSchema, rejectRequestSchema } from '../../../../adapters/inbound/http/schemas/patch-schemas.js';
import { decisionSchema, missionSchema } from '../../../../adapters/inbound/http/schemas/report-schemas.js';
import { Decision, InstanceActivityInput, InstanceMetricsInput, MissionEnum, RequestPatchRunInput } from '../../../../adapters/inbound/mcp/schemas.js';
import { checkHours } from '../../../../ports/use-cases/reports/look-back.js';

/**
 * A surface may ask for more than the domain (MCP wants a reason for every run), never for less:
 * whatever the domain or the use case refuses, every surface's schema refuses too. The probes sit
 * on both sides of each limit.
 */
const refuses = (f: () => unknown): boolean => {
  try {
    f();
    return false;
  } catch {
    return true;
  }
};
const accepts = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown): boolean => schema.safeParse(v).success;

describe('every surface refuses what the domain refuses', () => {
  const reasons = ['x', 'x'.repeat(MAX_REASON_LENGTH), 'x'.repeat(MAX_REASON_LENGTH + 1), 'x'.repeat(1000)];
  const keys = ['k-1', 'slack:T123', 'a b', 'k#1', 'é', 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(200)];
  const hours = [1, 24, MAX_LOOKBACK_HOURS, MAX_LOOKBACK_HOURS + 1, 0, 1.5];

  it('reasons and comments: at most the domain\'s length', () => {
    for (const reason of reasons) {
      const domainRefuses = refuses(() => checkReason(reason, 'reason'));
      const surfaces = {
        'HTTP patch run': accepts(patchRunRequestSchema, { instances: ['web-1'], reason }),
        'HTTP approve': accepts(approveRequestSchema, { comment: reason }),
        'HTTP reject': accepts(rejectRequestSchema, { reason }),
        'HTTP accept': accepts(acceptRiskRequestSchema, { vulnerabilityId: 'CVE-2024-1086', until: '2099-01-01', reason }),
        'MCP request_patch_run': accepts(RequestPatchRunInput, { instances: ['web-1'], reason }),
      };
      for (const [surface, ok] of Object.entries(surfaces)) {
        if (domainRefuses) expect(ok, `${surface} accepts a reason of ${reason.length} characters`).to.equal(false);
      }
    }
    expect(refuses(() => checkReason('x'.repeat(MAX_REASON_LENGTH + 1), 'reason'))).to.equal(true);
  });

  it('idempotency keys: the domain\'s pattern', () => {
    for (const key of keys) {
      const domainRefuses = refuses(() => checkRunRequest({ instances: ['web-1'], idempotencyKey: key }));
      expect(domainRefuses, key).to.equal(!IDEMPOTENCY_KEY.test(key));
      const surfaces = {
        HTTP: accepts(patchRunRequestSchema, { instances: ['web-1'], idempotencyKey: key }),
        MCP: accepts(RequestPatchRunInput, { instances: ['web-1'], reason: 'r', idempotencyKey: key }),
      };
      for (const [surface, ok] of Object.entries(surfaces)) {
        if (domainRefuses) expect(ok, `${surface} accepts the idempotency key ${JSON.stringify(key)}`).to.equal(false);
        else expect(ok, `${surface} refuses the idempotency key ${JSON.stringify(key)}`).to.equal(true);
      }
    }
  });

  it('look-back hours: the use cases\' limit', () => {
    for (const h of hours) {
      const useCaseRefuses = refuses(() => checkHours(h, 24, MAX_LOOKBACK_HOURS));
      const surfaces = {
        'HTTP ?hours=': accepts(hoursQuery(MAX_LOOKBACK_HOURS), { hours: String(h) }),
        'MCP instance_metrics': accepts(InstanceMetricsInput, { instance: 'web-1', hours: h }),
        'MCP instance_activity': accepts(InstanceActivityInput, { instance: 'web-1', hours: h }),
        'CLI --hours': !refuses(() => hoursOption.coerce(String(h))),
      };
      for (const [surface, ok] of Object.entries(surfaces)) expect(ok, `${surface} ${h}`).to.equal(!useCaseRefuses);
    }
  });

  it('enumerations: exactly the domain\'s values', () => {
    for (const d of [...DECISION_KINDS, 'later', '']) {
      const known = (DECISION_KINDS as readonly string[]).includes(d);
      expect(accepts(decisionSchema, d), `HTTP decision ${d}`).to.equal(known);
      expect(accepts(Decision, d), `MCP decision ${d}`).to.equal(known);
    }
    for (const m of [...MISSIONS, 'critical']) {
      const known = (MISSIONS as readonly string[]).includes(m);
      expect(accepts(missionSchema, m), `HTTP mission ${m}`).to.equal(known);
      expect(accepts(MissionEnum, m), `MCP mission ${m}`).to.equal(known);
    }
    for (const r of [...REBOOT_OPTIONS, 'always']) {
      const known = !refuses(() => checkRunRequest({ instances: ['web-1'], reboot: r }));
      expect(accepts(patchRunRequestSchema, { instances: ['web-1'], reboot: r }), `HTTP reboot ${r}`).to.equal(known);
      expect(accepts(RequestPatchRunInput, { instances: ['web-1'], reason: 'r', reboot: r }), `MCP reboot ${r}`).to.equal(known);
    }
  });
});
