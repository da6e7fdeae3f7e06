/**
 * Issue 17: `/v1/assets?include=findings&limit=1000` wrote its page on the event loop. The
 * service keeps each asset's findings deflated (composition/packed-report.ts); the page inflated,
 * parsed and serialized up to 1,000 assets' findings in one run of the loop, so /health waited for
 * the whole page (5.7 s for a 41 MiB page of a 100,000-finding fleet, `bench:http fleet`). Now an
 * asset held packed is inflated with zlib's asynchronous API and its stored JSON text is spliced
 * in (nothing parsed), and the page's writer gives the loop a turn between assets.
 *
 * The proof is ordering: a /health asked once the page has started is answered before the page
 * has been written out, and the loop turns many times while the page is written; the bytes are
 * those of JSON.stringify of the same page before.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../../../adapters/inbound/http/http-app.js';
import { createHttpLogger } from '../../../adapters/inbound/http/logger.js';
import { packAsset, packedAssetJson, unpackAsset } from '../../../composition/packed-report.js';
import type { Assistant } from '../../../ports/inbound/assistant.port.js';
import type { AssetReport, FleetReport } from '../../../ports/inbound/assessment/fleet-report.port.js';
import { demoAssistant, KEY_CONFIG, KEYS, largeFleet, LogCapture } from './http-test-kit.js';

const ASSETS = 1000;

/** The page's client: fetches argv[1] with the key argv[2], then writes the body to stdout. */
const READER = `const r = await fetch(process.argv[1], { headers: { 'x-api-key': process.argv[2] } });
if (r.status !== 200) process.exit(3);
process.stdout.write(Buffer.from(await r.arrayBuffer()));`;

describe('HTTP API: a page of full assets is written off the event loop (issue 17)', function () {
  this.timeout(120_000);
  let demo: Assistant;
  let dispose: () => Promise<void>;
  let plain: FleetReport;
  let packed: FleetReport;
  before(async () => {
    ({ assistant: demo, dispose } = await demoAssistant());
    plain = largeFleet(await demo.assessFleet(), ASSETS, 20);
    // As the service holds it: each asset packed on the worker and unpacked (lazily) on the main thread.
    packed = { ...plain, assets: plain.assets.map((a) => unpackAsset(structuredClone(packAsset(a)))) };
  });
  after(() => dispose());

  it('a packed asset is written as JSON.stringify writes it unpacked, byte for byte', async () => {
    for (const a of [...plain.assets.slice(0, 40), ...(await demo.assessFleet()).assets]) {
      const p = packAsset(a);
      expect((await packedAssetJson(p)).toString('utf8')).to.equal(JSON.stringify(a));
      expect(JSON.stringify(unpackAsset(p))).to.equal(JSON.stringify(a));
    }
    // Text that JSON escapes, a field without JSON (left out), an empty accepted list.
    const odd = { ...plain.assets[0]!, name: 'q"\\\n\u2028é\ud83d\ude00\ud800', note: undefined, accepted: [] } as unknown as AssetReport;
    expect((await packedAssetJson(packAsset(odd))).toString('utf8')).to.equal(JSON.stringify(odd));
  });

  it(`answers /health while a page of ${ASSETS} full assets is written, turning the loop between assets; the page is the same JSON`, async () => {
    const order: string[] = [];
    let started!: () => void;
    const pageStarted = new Promise<void>((resolve) => (started = resolve));
    const assistant = {
      ...demo,
      assessFleet: async () => {
        started();
        return packed;
      },
    } as Assistant;
    const app = createHttpApp({ assistant, keys: KEY_CONFIG, logger: createHttpLogger({ level: 'info', destination: new LogCapture() }), validateResponses: false, cache: false });
    const callback = app.callback();
    let turns = 0;
    let writing = false;
    const server: Server = createServer((req, res) => {
      if (req.url?.startsWith('/v1/assets')) {
        // Turns of the event loop while the page is written, counted by a chain of setImmediate.
        writing = true;
        const tick = (): void => {
          if (!writing) return;
          turns++;
          setImmediate(tick);
        };
        setImmediate(tick);
        res.on('finish', () => {
          writing = false;
          order.push('page written');
        });
      }
      void callback(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // The page's client in a process of its own, reading as fast as it can, as a real client does
      // (one in this process could read only when the loop turns, which would pace the page).
      const reader = spawn(process.execPath, ['--input-type=module', '-e', READER, `${base}/v1/assets?include=findings&limit=${ASSETS}`, KEYS.reader.key], { stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      reader.stdout.on('data', (c: Buffer) => chunks.push(c));
      const page = new Promise<string>((resolve, reject) => {
        reader.once('error', reject);
        reader.once('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`the page's reader exited with ${code}`))));
      });
      await pageStarted;
      const health = await fetch(`${base}/health`);
      order.push('health answered');
      expect(health.status).to.equal(200);
      const text = await page;

      expect(order).to.deep.equal(['health answered', 'page written']);
      expect(turns, 'turns of the event loop while the page was written').to.be.at.least(ASSETS);
      const body = JSON.parse(text) as { page: unknown };
      expect(text).to.equal(JSON.stringify({ ...plain, assets: plain.assets, page: body.page }));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
