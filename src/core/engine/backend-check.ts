import type { BackendCheckReport, BackendVerdict, EngineEvent, GpuBackend } from './engine';
import type { BackendProbe } from './backend-probe';
import { hasNoGpu, machineKey, type MachineIdentity } from './machine-identity';
import type { GpuSetting } from './protocol';
import type { VerdictStore } from './verdict-store';

export interface BackendCheckDeps {
  probe: BackendProbe;
  store: VerdictStore;
  machine: () => Promise<MachineIdentity>;
  onEvent?: (event: Extract<EngineEvent, { type: 'backend' }>) => void;
  log?: (line: string) => void;
  now?: () => number;
}

/**
 * Chooses the backend the engine runs on. `auto` is not trusted as node-llama-cpp resolves it (it
 * picks CUDA even where CUDA aborts at the first decode): each usable GPU type, best first, is
 * checked with one tiny decode in a process of its own, and the first that passes wins; a broken or
 * unavailable one falls through to the next, down to the CPU. A named backend is checked the same
 * way and falls back to the CPU. Verdicts are remembered per machine and driver, so the check runs
 * once; `force` runs it again.
 */
export async function chooseBackend(setting: GpuSetting, deps: BackendCheckDeps, options: { force?: boolean } = {}): Promise<BackendCheckReport> {
  const now = deps.now ?? Date.now;
  const emit = deps.onEvent ?? (() => undefined);
  const identity = await deps.machine();
  const machine = machineKey(identity);
  if (setting === false) return { setting, chosen: 'cpu', verdicts: [], fromCache: false, machine };

  const cached = options.force ? undefined : await deps.store.read(machine);
  let changed = false;
  /** A process ran: the steps were shown, so the choice is announced too. */
  let ran = false;
  let detected = cached?.detected;
  if (setting === 'auto' && detected === undefined && hasNoGpu(identity)) {
    // Nothing to detect: no process is started at all.
    detected = [];
    changed = true;
  } else if (setting === 'auto' && detected === undefined) {
    try {
      ran = true;
      detected = await deps.probe.detect();
      changed = true;
    } catch (error) {
      // Not remembered: a detection that failed once is tried again next start.
      emit({ type: 'backend', backend: 'cpu', state: 'broken', message: error instanceof Error ? error.message : String(error) });
      detected = [];
    }
  }
  const candidates: GpuBackend[] = setting === 'auto' ? (detected ?? []) : [setting];
  const known = new Map((cached?.verdicts ?? []).map((v) => [v.backend, v]));
  const verdicts: BackendVerdict[] = [];
  let chosen: GpuBackend | 'cpu' = 'cpu';
  for (const backend of candidates) {
    let verdict = known.get(backend);
    if (verdict === undefined) {
      verdict = await checkOne(backend, deps.probe, emit, now);
      known.set(backend, verdict);
      changed = true;
      ran = true;
    }
    verdicts.push(verdict);
    if (verdict.status === 'ok') {
      chosen = backend;
      break;
    }
  }
  if (changed) {
    const detectedNow = setting === 'auto' ? detected : cached?.detected;
    try {
      await deps.store.write(machine, { ...(detectedNow !== undefined && { detected: detectedNow }), verdicts: [...known.values()], updatedAt: now() });
    } catch (error) {
      // The choice stands; it is just not remembered (the check runs again next start).
      deps.log?.(`the GPU self-check's verdicts could not be saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (ran) emit({ type: 'backend', backend: chosen, state: 'chosen', message: describeChoice(chosen, verdicts) });
  return { setting, chosen, verdicts, fromCache: !changed && cached !== undefined, machine };
}

async function checkOne(backend: GpuBackend, probe: BackendProbe, emit: NonNullable<BackendCheckDeps['onEvent']>, now: () => number): Promise<BackendVerdict> {
  emit({ type: 'backend', backend, state: 'checking' });
  let outcome;
  try {
    outcome = await probe.probe(backend, (phase) => {
      if (phase === 'compiling-shaders') {
        emit({ type: 'backend', backend, state: 'compiling-shaders', message: 'the first Vulkan decode compiles shaders (11–20 s on a fresh machine)' });
      }
    });
  } catch (error) {
    outcome = { status: 'broken' as const, reason: `the check could not run: ${error instanceof Error ? error.message : String(error)}`, durationMs: 0 };
  }
  const checkedAt = now();
  const durationMs = Math.round(outcome.durationMs);
  const verdict: BackendVerdict =
    outcome.status === 'ok'
      ? { backend, status: 'ok', reason: `a tiny decode worked (${Math.round(outcome.decodeMs)} ms)`, checkedAt, durationMs, devices: outcome.devices }
      : { backend, status: outcome.status, reason: outcome.reason, checkedAt, durationMs };
  emit({ type: 'backend', backend, state: verdict.status, message: verdict.reason });
  return verdict;
}

function describeChoice(chosen: GpuBackend | 'cpu', verdicts: readonly BackendVerdict[]): string {
  const broken = verdicts.filter((v) => v.status === 'broken').map((v) => v.backend);
  const fellBack = broken.length > 0 ? ` (${broken.join(', ')} failed the self-check)` : '';
  return chosen === 'cpu' ? `running on the CPU${fellBack}` : `running on ${chosen}${fellBack}`;
}
