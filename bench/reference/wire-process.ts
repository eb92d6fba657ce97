import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Starts bench/reference/openai-wire-server.ts in its own process (so serving the stream costs the
 * measured event loop nothing) with a plan of `COUNTxCHUNKS` items; resolves with its base URL.
 */
export async function startOpenAIWireProcess(plan: string[]): Promise<{ baseURL: string; stop(): void }> {
  const script = fileURLToPath(new URL('./openai-wire-server.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(script, plan, { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const baseURL = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: unknown) => resolve((m as { baseURL: string }).baseURL));
    child.once('exit', (code) => reject(new Error(`the wire server process exited (${code})`)));
  });
  return { baseURL, stop: () => child.kill() };
}
