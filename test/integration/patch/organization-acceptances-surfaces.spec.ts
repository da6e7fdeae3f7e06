/**
 * Every surface that accepts a risk resolves the instance through the same lookup and stores its
 * identity, on an organization read where two accounts hold the same instance id: the HTTP API (a
 * real server on loopback, responses validated against their schemas), MCP (the SDK's client,
 * in-process transport) and chat (the answer the Slack and Teams bots give), each over the real
 * composition, a two-account capture and a SQLite state file.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { answerCommand } from '../../../adapters/inbound/chat/chat-answers.js';
import { parseChatCommand } from '../../../adapters/inbound/chat/chat-command.js';
import { answerDocument } from '../../../adapters/inbound/chat/chat-documents.js';
import { createMcpServer } from '../../../adapters/inbound/mcp/mcp-server.js';
import { slackMarkup } from '../../../adapters/inbound/slack/block-kit.js';
import { createAssistant } from '../../../composition/index.js';
import type { Actor } from '../../../domain/access/actor.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { AcceptanceReport } from '../../../ports/inbound/acceptances/acceptances.port.js';
import { ORG, twoAccountCapture } from '../../support/org-capture.js';
import { connect } from '../../unit/adapters/inbound/mcp/support.js';
import { startTestServer, type TestServer } from '../http/http-test-kit.js';

const { A, B, REGION: R, WEB, NOW } = ORG;
// Acceptances are made at the real clock's time (the assessments are as of NOW, the capture time).
const UNTIL = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
const APPROVER: Actor = { id: 'carol', roles: ['approver'], via: 'mcp' };
const AMBIGUOUS = `"${WEB}" names 2 instances: ${A}/${R}/${WEB}, ${B}/${R}/${WEB}; use ACCOUNT/REGION/ID`;

describe('risk acceptances on an organization read, on HTTP, MCP and chat', function () {
  this.timeout(60_000);
  let home: string;
  let assistant: Assistant;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'sre-ops-org-accept-surfaces-'));
    assistant = await createAssistant({ source: `snapshot:${twoAccountCapture(home)}`, now: NOW, stateStore: { kind: 'sqlite', path: join(home, 'state.db') } });
  });
  afterEach(async () => {
    await assistant.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function countedIn(accountId: string): Promise<string[]> {
    const fleet = await assistant.assessFleet();
    return fleet.assets.find((a) => a.accountId === accountId && a.instanceId === WEB)?.findings.map((f) => f.vulnerabilityId ?? f.type) ?? [];
  }

  it('HTTP: a bare id two accounts hold is refused naming both; ACCOUNT/REGION/ID is stored with its account and region, listed so', async () => {
    const api: TestServer = await startTestServer({ assistant });
    try {
      const refused = await api.post('/v1/acceptances', { vulnerabilityId: 'CVE-2024-6387', instance: WEB, until: UNTIL, reason: 'WAF rule' }, 'approver');
      const created = await api.post('/v1/acceptances', { vulnerabilityId: 'CVE-2024-6387', instance: `${B}/${R}/${WEB}`, until: UNTIL, reason: 'WAF rule' }, 'approver');
      const list = await api.get('/v1/acceptances', 'reader');

      expect(refused.status).to.be.within(400, 499);
      expect(((await refused.json()) as { error: { message: string } }).error.message).to.equal(AMBIGUOUS);
      expect(created.status, await created.clone().text()).to.equal(201);
      expect(await created.json()).to.deep.include({ instanceId: WEB, accountId: B, region: R });
      expect(list.status).to.equal(200);
      expect(((await list.json()) as { acceptances: AcceptanceReport[] }).acceptances.map((a) => [a.instanceId, a.accountId, a.region])).to.deep.equal([[WEB, B, R]]);
      expect(await countedIn(A)).to.include('CVE-2024-6387');
      expect(await countedIn(B)).to.not.include('CVE-2024-6387');
    } finally {
      await api.close();
    }
  });

  it('MCP accept_risk: the bare id is an error naming both; ACCOUNT/REGION/ID comes back with its account and region', async () => {
    const client: Client = await connect(createMcpServer({ assistant, actor: APPROVER, acceptance: true }));
    try {
      const refused = (await client.callTool({ name: 'accept_risk', arguments: { vulnerabilityId: 'CVE-2024-6387', instance: WEB, until: UNTIL, reason: 'WAF rule' } })) as CallToolResult;
      const accepted = (await client.callTool({ name: 'accept_risk', arguments: { vulnerabilityId: 'CVE-2024-6387', instance: `${A}/${R}/${WEB}`, until: UNTIL, reason: 'WAF rule' } })) as CallToolResult;

      expect(refused.isError).to.equal(true);
      expect((refused.content[0] as { text: string }).text).to.contain(AMBIGUOUS);
      expect(accepted.isError, JSON.stringify(accepted.content)).to.not.equal(true);
      expect((accepted.structuredContent as { acceptance: AcceptanceReport }).acceptance).to.include({ instanceId: WEB, accountId: A, region: R });
      expect((accepted.content[0] as { text: string }).text).to.contain(`on ${A}/${R}/${WEB}`);
      expect(await countedIn(A)).to.not.include('CVE-2024-6387');
      expect(await countedIn(B)).to.include('CVE-2024-6387');
    } finally {
      await client.close();
    }
  });

  it('chat accept: the bare id is refused naming both; ACCOUNT/REGION/ID is stored with its account and region, shown in the answer', async () => {
    const ctx = { now: () => Date.now(), idempotencyKey: null, reason: null };
    const actor: Actor = { id: 'carol', roles: ['approver'], via: 'slack' };

    await answerCommand(assistant, actor, parseChatCommand(`accept CVE-2024-6387 ${WEB} 10 WAF rule`), ctx).then(
      () => expect.fail('accepted an ambiguous id'),
      (err: Error) => expect(err.message).to.equal(AMBIGUOUS),
    );
    const answer = await answerCommand(assistant, actor, parseChatCommand(`accept CVE-2024-6387 ${B}/${R}/${WEB} 10 WAF rule`), ctx);

    expect(answer.kind).to.equal('acceptance');
    expect(answer.kind === 'acceptance' ? answer.acceptance : null).to.include({ instanceId: WEB, accountId: B, region: R });
    expect(JSON.stringify(answerDocument(answer, slackMarkup, { command: '/sre' }))).to.contain(`${B}/${R}/${WEB}`);
    expect(await countedIn(A)).to.include('CVE-2024-6387');
    expect(await countedIn(B)).to.not.include('CVE-2024-6387');
  });
});
