/**
 * A loopback HTTP proxy that forwards one request at a time to `target` (the next waits until the
 * previous answer has been read whole). moto_server answers requests on several threads and does
 * not isolate a conditional write or a TransactWriteItems from a concurrent one (it checks the
 * conditions, then writes, with no lock), while DynamoDB applies each request atomically. Behind
 * this proxy moto has that per-request atomicity, so the state store's races (two writers with one
 * idempotency key, leases, appends to the audit chain) are races between our clients again, and
 * what they prove is the store's conditions, not moto's thread timing.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SerialProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startSerialProxy(target: string): Promise<SerialProxy> {
  const to = new URL(target);
  let queue: Promise<void> = Promise.resolve();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      queue = queue.then(() => new Promise<void>((done) => {
        const out = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', done);
          answer.on('error', done);
        });
        out.on('error', (err) => {
          res.writeHead(502).end(String(err));
          done();
        });
        out.end(Buffer.concat(chunks));
      }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
