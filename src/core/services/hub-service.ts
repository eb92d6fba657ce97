import { type HubFile, type HubRepo, type ModelFit } from '../../shared/contract';
import { ContractFailure } from '../api/contract-failure';
import { type HubClient, HubError, type HubListedRepo, quantizationFromName } from '../hub';
import { type MachineMemory, fitFromFileSize } from '../models/fit';
import { type HubService } from './downloads-types';

/** A GGUF file or URL whose fit GgufInsights estimates (in the engine process). */
export type FitSource = { path: string } | { url: string; headers?: Record<string, string> };
export type EstimateFit = (source: FitSource, signal?: AbortSignal) => Promise<ModelFit>;

export interface HubServiceDeps {
  /** The hub client of the config in force (`hub.url` may change on reload). */
  client: () => HubClient;
  /** This machine's memory, for the size-based badges; undefined when the engine cannot say. */
  machine: () => Promise<MachineMemory | undefined>;
  estimateFit?: EstimateFit;
}

export function createHubService(deps: HubServiceDeps): HubService {
  const toRepo = (listed: HubListedRepo, machine: MachineMemory | undefined, filter: { quantizations?: string[]; maxSizeBytes?: number } = {}): HubRepo => {
    const wanted = filter.quantizations?.map((q) => q.toUpperCase());
    const files: HubFile[] = listed.files
      .map((f) => ({
        path: f.path,
        sizeBytes: f.sizeBytes,
        quantization: quantizationFromName(f.path),
        sha256: f.sha256,
        fit: machine === undefined ? null : fitFromFileSize(f.sizeBytes, machine),
      }))
      .filter((f) => (wanted === undefined || (f.quantization !== null && wanted.includes(f.quantization))) && (filter.maxSizeBytes === undefined || f.sizeBytes <= filter.maxSizeBytes));
    return { id: listed.id, downloads: listed.downloads, likes: listed.likes, updatedAt: listed.updatedAt, files };
  };
  const machine = () => deps.machine().catch(() => undefined);

  return {
    async search(input, signal) {
      const client = deps.client();
      const [listed, memory] = await Promise.all([hubCall(() => client.search(input, signal)), machine()]);
      const repos = listed.map((r) => toRepo(r, memory, input)).filter((r) => r.files.length > 0);
      return { hubUrl: client.hubUrl, repos };
    },

    async repo(repo, signal) {
      const client = deps.client();
      const [listed, memory] = await Promise.all([hubCall(() => client.repo(repo, signal)), machine()]);
      return toRepo(listed, memory);
    },

    async inspect(repo, file, signal) {
      const client = deps.client();
      const [header, location] = await Promise.all([hubCall(() => client.readHeader(repo, file, signal)), hubCall(() => client.locate(repo, file, signal))]);
      let fit: ModelFit | null = null;
      let fitError: string | null = null;
      if (!header.rangeSupported) {
        fitError = `The hub at ${client.hubUrl} does not serve byte ranges, so the header cannot be read before downloading.`;
      } else if (deps.estimateFit === undefined) {
        fitError = 'This host has no engine to estimate the fit with.';
      } else {
        try {
          fit = await deps.estimateFit({ url: location.url, headers: location.headers }, signal);
        } catch (error) {
          fitError = error instanceof Error ? error.message : String(error);
        }
      }
      return {
        repo,
        file,
        sizeBytes: header.sizeBytes ?? location.size,
        sha256: location.sha256,
        rangeSupported: header.rangeSupported,
        architecture: header.architecture,
        parameterCount: header.parameterCount,
        quantization: header.quantization ?? quantizationFromName(file),
        contextLength: header.contextLength,
        hasChatTemplate: header.hasChatTemplate,
        fit,
        fitError,
      };
    },
  };
}

/** Hub failures as contract failures: a missing repo or file is NOT_FOUND, the rest UNAVAILABLE. */
async function hubCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof HubError) throw new ContractFailure(error.code === 'not_found' ? 'NOT_FOUND' : 'UNAVAILABLE', error.message);
    throw error;
  }
}
