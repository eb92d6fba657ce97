import type { BackendVerdictInfo, EngineModelSettings, ModelActivity } from '../../../../shared/contract';

/** contract/engine's ENGINE_KV_CACHE_TYPES (the renderer imports contract types only; a test keeps them equal). */
export const KV_CACHE_TYPES = ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'q5_0', 'q5_1'] as const;

export function formatMemory(bytes: number): string {
  if (bytes < 1024 ** 2) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

export const BACKEND_LABELS: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal' };

/** What a model's state reads as in the panel. */
export function describeActivity(activity: Pick<ModelActivity, 'state' | 'progress' | 'message'>): string {
  switch (activity.state) {
    case 'waiting':
      return activity.message ?? 'Waiting for memory';
    case 'loading':
      return activity.progress === null ? 'Loading…' : `Loading ${Math.round(activity.progress * 100)}%`;
    case 'warming':
      return 'Warming up (first decode)…';
    case 'compiling-shaders':
      return 'Compiling GPU shaders — the first Vulkan prompt on this machine takes 11–20 s';
    case 'failed':
      return `Failed: ${activity.message ?? 'unknown error'}`;
    default:
      return activity.state;
  }
}

export function describeVerdict(verdict: BackendVerdictInfo): string {
  const label = BACKEND_LABELS[verdict.backend] ?? verdict.backend;
  switch (verdict.status) {
    case 'ok':
      return `${label}: works${verdict.devices?.length ? ` on ${verdict.devices.join(', ')}` : ''}`;
    case 'broken':
      return `${label}: broken on this machine — ${verdict.reason}`;
    case 'unavailable':
      return `${label}: not available — ${verdict.reason}`;
  }
}

/** The settings form's fields as typed: empty means "the default". */
export interface SettingsFields {
  gpuLayers: string;
  contextSize: string;
  threads: string;
  flashAttention: '' | 'on' | 'off';
  kvCacheType: string;
}

export function fieldsFrom(settings: EngineModelSettings): SettingsFields {
  return {
    gpuLayers: settings.gpuLayers === undefined ? '' : String(settings.gpuLayers),
    contextSize: settings.contextSize === undefined ? '' : String(settings.contextSize),
    threads: settings.threads === undefined ? '' : String(settings.threads),
    flashAttention: settings.flashAttention === undefined ? '' : settings.flashAttention ? 'on' : 'off',
    kvCacheType: settings.kvCacheType ?? '',
  };
}

/** The fields as settings for `engine.load`, or the first problem, named by its field. */
export function parseSettingsFields(fields: SettingsFields, advanced: boolean): { ok: true; settings: EngineModelSettings } | { ok: false; problem: string } {
  const settings: EngineModelSettings = {};
  const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);
  const gpuLayers = fields.gpuLayers.trim();
  if (gpuLayers !== '') {
    const n = whole(gpuLayers);
    if (gpuLayers !== 'auto' && gpuLayers !== 'max' && n === undefined) return { ok: false, problem: 'GPU layers: auto, max or a whole number of layers' };
    settings.gpuLayers = gpuLayers === 'auto' || gpuLayers === 'max' ? gpuLayers : (n as number);
  }
  const contextSize = fields.contextSize.trim();
  if (contextSize !== '') {
    const n = whole(contextSize);
    if (contextSize !== 'auto' && (n === undefined || n < 128)) return { ok: false, problem: 'Context size: auto or at least 128 tokens' };
    settings.contextSize = contextSize === 'auto' ? 'auto' : (n as number);
  }
  const threads = fields.threads.trim();
  if (threads !== '') {
    const n = whole(threads);
    if (threads !== 'auto' && (n === undefined || n < 1 || n > 1024)) return { ok: false, problem: 'Threads: auto or a whole number from 1 to 1024' };
    settings.threads = threads === 'auto' ? 'auto' : (n as number);
  }
  if (fields.flashAttention !== '') settings.flashAttention = fields.flashAttention === 'on';
  if (advanced && fields.kvCacheType !== '') {
    const kv = KV_CACHE_TYPES.find((t) => t === fields.kvCacheType);
    if (kv === undefined) return { ok: false, problem: `KV cache type: one of ${KV_CACHE_TYPES.join(', ')}` };
    if (kv.startsWith('q') && settings.flashAttention !== true) return { ok: false, problem: `KV cache type ${kv} needs flash attention on` };
    settings.kvCacheType = kv;
  }
  return { ok: true, settings };
}
