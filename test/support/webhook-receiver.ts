import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: { id: string; type: string; organizationId: string; data: Record<string, unknown> };
}

/** A real local HTTP server that records what it receives; `failFirst` answers 500 to the first N requests. */
export async function startWebhookReceiver(options: { failFirst?: number } = {}) {
  const received: ReceivedHook[] = [];
  let calls = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls += 1;
      if (calls <= (options.failFirst ?? 0)) {
        res.writeHead(500).end('not now');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, json: JSON.parse(body) as ReceivedHook['json'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    calls: () => calls,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
