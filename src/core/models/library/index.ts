export { createModelLibrary, type FolderCheck, type ModelLibrary, type ModelLibraryOptions } from './model-library';
export { LOCAL_PREFIX } from './assign-model-ids';
export { inspectGguf, type GgufInspection } from './inspect-gguf';
export { deleteModelFile, importModelFile, ModelFileError } from './model-files';
export { missingModelFolders, resolveModelFolder } from './model-folders';
