import { useEffect, useState } from 'react';
import type { EngineSettings } from '../../../../shared/contract';
import { useSettings } from '../../stores/context';
import { FormField, FormProblem } from './FormField';
import { SectionError } from './SectionError';
import { parseAutoInt } from './settings-format';

const text = (value: string | number | null) => (value === null ? '' : String(value));

/** The local engine's defaults (the `engine:` section). */
export function EngineSection() {
  const engine = useSettings((s) => s.view?.engine ?? null);
  const saveEngine = useSettings((s) => s.saveEngine);
  const saving = useSettings((s) => s.saving);
  const [gpu, setGpu] = useState('');
  const [threads, setThreads] = useState('');
  const [contextSize, setContextSize] = useState('');
  const [gpuLayers, setGpuLayers] = useState('');
  const [flash, setFlash] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (engine === null) return;
    setGpu(engine.gpu === null ? '' : String(engine.gpu));
    setThreads(text(engine.threads));
    setContextSize(text(engine.contextSize));
    setGpuLayers(text(engine.gpuLayers));
    setFlash(engine.flashAttention === null ? '' : String(engine.flashAttention));
  }, [engine]);
  if (engine === null) return null;

  const submit = async () => {
    const t = parseAutoInt(threads);
    const c = parseAutoInt(contextSize);
    const l = parseAutoInt(gpuLayers, ['max']);
    if (t === undefined) return setProblem('Threads: auto or a whole number');
    if (c === undefined) return setProblem('Context size: auto or a whole number of tokens');
    if (l === undefined) return setProblem('GPU layers: auto, max or a whole number');
    setProblem(null);
    await saveEngine({
      gpu: gpu === '' ? null : gpu === 'false' ? false : (gpu as Exclude<EngineSettings['gpu'], false | null>),
      threads: t as EngineSettings['threads'],
      contextSize: c as EngineSettings['contextSize'],
      gpuLayers: l as EngineSettings['gpuLayers'],
      flashAttention: flash === '' ? null : flash === 'true',
    });
  };

  return (
    <section className="settings-section" aria-labelledby="settings-engine" data-testid="settings-engine">
      <header className="settings-section__head">
        <h3 id="settings-engine">Local engine</h3>
      </header>
      <SectionError section="engine" />
      <form
        className="settings-form settings-form--flat"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="settings-grid">
          <FormField label="GPU">
            <select data-testid="engine-gpu" value={gpu} onChange={(e) => setGpu(e.target.value)}>
              <option value="">default (auto)</option>
              <option value="auto">auto</option>
              <option value="cuda">CUDA</option>
              <option value="vulkan">Vulkan</option>
              <option value="metal">Metal</option>
              <option value="false">off (CPU only)</option>
            </select>
          </FormField>
          <FormField label="Threads">
            <input data-testid="engine-threads" value={threads} onChange={(e) => setThreads(e.target.value)} placeholder="auto" />
          </FormField>
          <FormField label="Context size">
            <input data-testid="engine-context" value={contextSize} onChange={(e) => setContextSize(e.target.value)} placeholder="auto" />
          </FormField>
          <FormField label="GPU layers">
            <input data-testid="engine-gpu-layers" value={gpuLayers} onChange={(e) => setGpuLayers(e.target.value)} placeholder="auto" />
          </FormField>
          <FormField label="Flash attention">
            <select value={flash} onChange={(e) => setFlash(e.target.value)}>
              <option value="">default</option>
              <option value="true">on</option>
              <option value="false">off</option>
            </select>
          </FormField>
        </div>
        <FormProblem problem={problem} />
        <div className="settings-form__actions">
          <button type="submit" className="button" data-testid="engine-save" disabled={saving}>
            Save engine defaults
          </button>
        </div>
      </form>
    </section>
  );
}
