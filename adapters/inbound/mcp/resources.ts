/**
 * Resources an agent can read and cite: the policy in force and the two decision tables, as the
 * domain exports them (the same data the assessment reads, not a copy that could drift).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Policy } from '../../../domain/policy.js';
import { SSVC_COORDINATOR_TABLE, SSVC_TABLE_ID } from '../../../domain/risk/ssvc.js';
import { BOD_26_04_TABLE, BOD_TABLE_ID } from '../../../domain/risk/timeline.js';

export const RESOURCE_URIS = {
  policy: 'sre-ops://policy',
  ssvc: 'sre-ops://tables/ssvc',
  bod: 'sre-ops://tables/bod-26-04',
} as const;

function json(uri: URL, value: unknown) {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}

export function registerResources(server: McpServer, policy: Policy): void {
  server.registerResource(
    'policy',
    RESOURCE_URIS.policy,
    {
      title: 'Active policy',
      description: 'The policy in force: tags read, mission maps, production environments, days per BOD 26-04 timeline, patch windows, freezes, rollout limits.',
      mimeType: 'application/json',
    },
    (uri) => json(uri, policy),
  );
  server.registerResource(
    'ssvc-table',
    RESOURCE_URIS.ssvc,
    {
      title: 'SSVC CISA coordinator decision table',
      description: `CERT/CC SSVC data ${SSVC_TABLE_ID}: the outcome (track, track*, attend, act) for each exploitation, automatable and technical impact row and each mission column.`,
      mimeType: 'application/json',
    },
    (uri) =>
      json(uri, {
        id: SSVC_TABLE_ID,
        source: 'CERT/CC SSVC data (github.com/CERTCC/SSVC), CISA coordinator decision model v2.0.3',
        inputs: ['exploitation', 'automatable', 'technicalImpact'],
        columns: 'mission (low, medium, high): mission and well-being',
        rows: SSVC_COORDINATOR_TABLE.map((r, i) => ({ number: i + 1, ...r })),
      }),
  );
  server.registerResource(
    'bod-26-04-table',
    RESOURCE_URIS.bod,
    {
      title: 'CISA BOD 26-04 remediation timeline table',
      description: `CERT/CC SSVC data ${BOD_TABLE_ID}: the remediation timeline for each combination of KEV, exposure, automatable and technical impact. The policy resource gives the days each timeline allows.`,
      mimeType: 'application/json',
    },
    (uri) =>
      json(uri, {
        id: BOD_TABLE_ID,
        source: 'CERT/CC SSVC data (github.com/CERTCC/SSVC), CISA BOD 26-04 decision model v1.0.0',
        inputs: ['inKev', 'exposed', 'automatable', 'technicalImpact'],
        rows: BOD_26_04_TABLE.map((r, i) => ({ number: i + 1, ...r })),
      }),
  );
}
