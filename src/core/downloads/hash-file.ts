import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The sha256 of a whole file (a model already in place after a crash between rename and bookkeeping). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
