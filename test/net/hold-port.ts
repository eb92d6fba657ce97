import { createServer } from 'node:net';

/** A port another program holds: a plain TCP listener on 127.0.0.1 (any free port), until `release()`. */
export async function holdPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  let released: Promise<void> | undefined;
  return { port, release: () => (released ??= new Promise((resolve) => server.close(() => resolve()))) };
}
