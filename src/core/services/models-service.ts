import { type LocalModelEntry } from '../../shared/domain';
import { type ModelLibrary } from '../models/library';

export interface ModelsService {
  /** The local models folder(s): every .gguf file, with metadata or why it cannot be loaded. */
  listLocal(): Promise<LocalModelEntry[]>;
}

export function createModelsService(library: ModelLibrary): ModelsService {
  return { listLocal: () => library.list() };
}
