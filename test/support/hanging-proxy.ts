// An HTTP proxy in front of moto that forwards every request, except those `hang` picks: it reads
// them whole and then never answers, keeping the connection open, like a peer that stopped
// responding. Proves that a send which never returns is cut off by the caller, not by luck.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HangingProxy {
  endpoint: string;
  /** Requests held unanswered so far. */
  hung(): number;
  close(): Promise<void>;
}

export async function startHangingProxy(
  upstream: string,
  hang: (target: string, body: string) => boolean,
): Promise<HangingProxy> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  const held = new Set<Socket>();
  let hung = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (hang(String(req.headers['x-amz-target'] ?? ''), body.toString())) {
        hung++;
        held.add(req.socket);
        return; // never answer
      }
      const up = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
          agent,
        },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${err.message}`);
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    hung: () => hung,
    async close() {
      for (const socket of held) socket.destroy();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
