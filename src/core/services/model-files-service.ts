import { dirname } from 'node:path';
import { ContractFailure } from '../api/contract-failure';
import { type ModelLibrary, ModelFileError, deleteModelFile, importModelFile } from '../models/library';
import { type ModelFilesService } from './downloads-types';
import { type EstimateFit } from './hub-service';

export interface ModelFilesServiceDeps {
  library: ModelLibrary;
  /** Where imported files are copied: the data dir's models folder. */
  modelsDir: string;
  /** Unloads a model from the engine before its file is deleted. */
  unload?: (path: string) => Promise<void>;
  estimateFit?: EstimateFit;
}

export function createModelFilesService(deps: ModelFilesServiceDeps): ModelFilesService {
  return {
    delete: (id) => fileCall(async () => ({ deleted: await deleteModelFile(deps.library, id, async (path) => deps.unload?.(path).catch(() => undefined)) })),
    import: (path) => fileCall(() => importModelFile(deps.library, path, deps.modelsDir)),
    async fit(id) {
      const entry = await deps.library.resolve(id);
      if (entry === undefined) throw new ContractFailure('NOT_FOUND', `There is no local model ${id}.`);
      if (entry.error !== null) throw new ContractFailure('VALIDATION_FAILED', entry.error);
      if (deps.estimateFit === undefined) throw new ContractFailure('UNAVAILABLE', 'This host has no engine to estimate the fit with.');
      try {
        return await deps.estimateFit({ path: entry.path });
      } catch (error) {
        throw new ContractFailure('UNAVAILABLE', `The fit of ${id} could not be estimated (${error instanceof Error ? error.message : String(error)}); the model folder is ${dirname(entry.path)}.`);
      }
    },
  };
}

async function fileCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ModelFileError) {
      throw new ContractFailure(error.code === 'not_found' ? 'NOT_FOUND' : error.code === 'conflict' ? 'CONFLICT' : 'VALIDATION_FAILED', error.message);
    }
    throw error;
  }
}
