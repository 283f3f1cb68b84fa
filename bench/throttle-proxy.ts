// A tiny HTTP proxy in front of moto that enforces Firehose's control-plane rate limit, which moto
// does not: when 5 calls have already started within the last second, the next one is answered
// with ThrottlingException (HTTP 400, awsJson 1.1 error shape) instead of reaching moto. Calls are
// timed when their request arrives here, i.e. as the server sees them, not as the client sent them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface ThrottleStats {
  /** Calls forwarded to moto, per operation (X-Amz-Target without the service prefix). */
  accepted: Record<string, number>;
  /** Calls answered with ThrottlingException, per operation. */
  throttled: Record<string, number>;
  /** Most accepted calls that started within any 1 s window. */
  maxInWindow: number;
}

export interface ThrottleProxy {
  endpoint: string;
  stats(): ThrottleStats;
  resetStats(): void;
  close(): Promise<void>;
}

export interface ThrottleOptions {
  upstream: string;
  callsPerWindow?: number;
  windowMs?: number;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
export const acceptedCalls = (s: ThrottleStats) => total(s.accepted);
export const throttledCalls = (s: ThrottleStats) => total(s.throttled);

export async function startThrottleProxy(options: ThrottleOptions): Promise<ThrottleProxy> {
  const { upstream, callsPerWindow = 5, windowMs = 1000 } = options;
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  let starts: number[] = []; // start times of accepted calls inside the current window
  let stats: ThrottleStats = { accepted: {}, throttled: {}, maxInWindow: 0 };

  const server = http.createServer((req, res) => {
    const now = performance.now();
    const op = String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`).replace(/^.*\./, '');
    starts = starts.filter((t) => now - t < windowMs);
    if (starts.length >= callsPerWindow) {
      stats.throttled[op] = (stats.throttled[op] ?? 0) + 1;
      req.resume(); // drain the body; the connection stays usable
      req.on('end', () => {
        const body = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });
        res.writeHead(400, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': 'ThrottlingException',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      });
      return;
    }
    starts.push(now);
    stats.accepted[op] = (stats.accepted[op] ?? 0) + 1;
    stats.maxInWindow = Math.max(stats.maxInWindow, starts.length);
    const upstreamReq = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(upstreamReq);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => structuredClone(stats),
    resetStats() {
      starts = [];
      stats = { accepted: {}, throttled: {}, maxInWindow: 0 };
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
