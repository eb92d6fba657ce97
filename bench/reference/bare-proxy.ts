/**
 * The gateway bench's floor: the least an HTTP proxy can do on this machine. `node:http` in, undici
 * (keep-alive) out, the body forwarded as it came and the answer piped back; no checks, no token,
 * no routing, no recording. What it adds to a request is what any gateway written in Node pays for
 * the extra hop here, so the bench reports it beside the targets. Runs in its own process; sends
 * `{ port }` over IPC. Arg: UPSTREAM_BASE_URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: bare-proxy.ts UPSTREAM_BASE_URL');
const base = new URL(upstream);
const pool = new Pool(base.origin, { connections: 32 });
const prefix = base.pathname.replace(/\/$/, '');

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    pool
      .request({
        path: `${prefix}${(req.url ?? '/').replace(/^\/v1/, '')}`,
        method: 'POST',
        headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
        body: Buffer.concat(parts),
      })
      .then((answer) => {
        res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
        answer.body.pipe(res);
      })
      .catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: String(error) } }));
      });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
