import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { gpuBackendSchema } from './protocol';

const verdictSchema = z.object({
  backend: gpuBackendSchema,
  status: z.enum(['ok', 'broken', 'unavailable']),
  reason: z.string(),
  checkedAt: z.number(),
  durationMs: z.number().optional(),
  devices: z.array(z.string()).optional(),
});

const machineRecordSchema = z.object({
  /** What `auto` found usable, best first: remembered so a CPU-only machine starts no check at all. */
  detected: z.array(gpuBackendSchema).optional(),
  verdicts: z.array(verdictSchema),
  updatedAt: z.number(),
});
export type MachineRecord = z.infer<typeof machineRecordSchema>;

const fileSchema = z.object({ version: z.literal(1), machines: z.record(z.string(), machineRecordSchema) });
type VerdictFile = z.infer<typeof fileSchema>;

/** The self-check's verdicts, per machine key (platform, arch, GPU, driver, node-llama-cpp version). */
export interface VerdictStore {
  read(machine: string): Promise<MachineRecord | undefined>;
  write(machine: string, record: MachineRecord): Promise<void>;
}

/**
 * A JSON file in the data dir. A file that can't be read or parsed counts as no verdicts (the check
 * runs again and rewrites it), never as an error; writes go to a temp file renamed over the old one.
 */
export function createFileVerdictStore(path: string, onProblem: (message: string) => void = () => undefined): VerdictStore {
  const load = async (): Promise<VerdictFile> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return { version: 1, machines: {} };
    }
    try {
      return fileSchema.parse(JSON.parse(text));
    } catch (error) {
      onProblem(`${path} is not a valid verdict file (${error instanceof Error ? error.message : String(error)}); the GPU check runs again`);
      return { version: 1, machines: {} };
    }
  };
  let writing: Promise<void> = Promise.resolve();
  return {
    async read(machine) {
      return (await load()).machines[machine];
    },
    write(machine, record) {
      // One write at a time, each a read-modify-write of the whole file.
      const next = writing.then(async () => {
        const file = await load();
        file.machines[machine] = record;
        await mkdir(dirname(path), { recursive: true });
        const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
        try {
          await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`);
          await rename(tmp, path);
        } catch (error) {
          await unlink(tmp).catch(() => undefined);
          throw error;
        }
      });
      writing = next.catch(() => undefined);
      return next;
    },
  };
}

/** For tests and hosts without a data dir. */
export function createMemoryVerdictStore(): VerdictStore {
  const records = new Map<string, MachineRecord>();
  return {
    read: async (machine) => records.get(machine),
    write: async (machine, record) => void records.set(machine, record),
  };
}
