import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/** What a self-check verdict holds for: a new driver or node-llama-cpp build is checked again. */
export interface MachineIdentity {
  platform: string;
  arch: string;
  gpus: string[];
  driver: string;
  nodeLlamaCpp: string;
}

/** The key of a verdict, readable in the file and the UI. */
export function machineKey(m: MachineIdentity): string {
  return `${m.platform}-${m.arch} | ${m.gpus.join(', ') || 'no GPU found'} | driver ${m.driver} | node-llama-cpp ${m.nodeLlamaCpp}`;
}

const run = promisify(execFile);

/**
 * Reads the GPU and its driver without loading any GPU library (that is what could crash): the
 * NVIDIA kernel module's /proc files or the DRM devices on Linux, nvidia-smi on Windows, the chip
 * and OS release on macOS (Metal ships with the OS).
 */
export async function readMachineIdentity(): Promise<MachineIdentity> {
  const base = { platform: platform(), arch: arch(), nodeLlamaCpp: await nodeLlamaCppVersion() };
  if (base.platform === 'darwin') return { ...base, gpus: [cpus()[0]?.model ?? 'unknown'], driver: `macOS ${release()}` };
  if (base.platform === 'linux') {
    const nvidia = await linuxNvidia();
    if (nvidia) return { ...base, ...nvidia };
    const drm = await linuxDrm();
    // Open drivers (amdgpu, i915, Mesa) come with the kernel and system packages.
    if (drm.length > 0) return { ...base, gpus: drm, driver: `kernel ${release()}` };
    // A container may show device nodes without sysfs: a GPU is there, its name unknown.
    if (await hasGpuDeviceNodes()) return { ...base, gpus: ['GPU (name unknown)'], driver: `kernel ${release()}` };
    return { ...base, gpus: [], driver: 'none' };
  }
  return { ...base, ...((await nvidiaSmi()) ?? { gpus: [], driver: 'unknown' }) };
}

async function linuxNvidia(): Promise<{ gpus: string[]; driver: string } | undefined> {
  const version = await readFile('/proc/driver/nvidia/version', 'utf8').catch(() => undefined);
  if (version === undefined) return undefined;
  const driver = /Kernel Module\s+(?:for \S+\s+)?([\d.]+)/.exec(version)?.[1] ?? 'unknown';
  const ids = await readdir('/proc/driver/nvidia/gpus').catch(() => [] as string[]);
  const gpus: string[] = [];
  for (const id of ids) {
    const info = await readFile(join('/proc/driver/nvidia/gpus', id, 'information'), 'utf8').catch(() => '');
    gpus.push(/Model:\s*(.+)/.exec(info)?.[1]?.trim() ?? `NVIDIA GPU ${id}`);
  }
  return { gpus, driver };
}

async function linuxDrm(): Promise<string[]> {
  const cards = (await readdir('/sys/class/drm').catch(() => [] as string[])).filter((c) => /^card\d+$/.test(c));
  const gpus: string[] = [];
  for (const card of cards) {
    const device = join('/sys/class/drm', card, 'device');
    const read = (name: string) => readFile(join(device, name), 'utf8').then((t) => t.trim(), () => '');
    const driver = /DRIVER=(\S+)/.exec(await read('uevent'))?.[1] ?? 'unknown driver';
    gpus.push(`${await read('vendor')}:${await read('device')} (${driver})`);
  }
  return gpus;
}

async function hasGpuDeviceNodes(): Promise<boolean> {
  const dev = await readdir('/dev').catch(() => [] as string[]);
  if (dev.some((name) => /^nvidia\d+$/.test(name))) return true;
  return (await readdir('/dev/dri').catch(() => [] as string[])).some((name) => name.startsWith('renderD') || name.startsWith('card'));
}

/**
 * True where no GPU can be used at all: Linux without any GPU device (no NVIDIA module, no DRM
 * card, no device node). There the check skips even the detection process.
 */
export function hasNoGpu(machine: MachineIdentity): boolean {
  return machine.platform === 'linux' && machine.gpus.length === 0;
}

async function nvidiaSmi(): Promise<{ gpus: string[]; driver: string } | undefined> {
  try {
    const { stdout } = await run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { timeout: 5_000, windowsHide: true });
    const rows = stdout.trim().split(/\r?\n/).map((l) => l.split(',').map((p) => p.trim()));
    if (rows.length === 0 || rows[0]?.[0] === '') return undefined;
    return { gpus: rows.map((r) => r[0] ?? 'unknown'), driver: rows[0]?.[1] ?? 'unknown' };
  } catch {
    return undefined;
  }
}

async function nodeLlamaCppVersion(): Promise<string> {
  try {
    // The package exports no package.json; walk up from its entry point.
    let dir = dirname(createRequire(import.meta.url).resolve('node-llama-cpp'));
    for (let i = 0; i < 4; i++, dir = dirname(dir)) {
      const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const json: unknown = JSON.parse(text);
      if (typeof json === 'object' && json !== null && 'name' in json && json.name === 'node-llama-cpp' && 'version' in json) return String(json.version);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}
