export { fitFromFileSize } from './fit-from-size';
export { type MachineMemory } from './machine-memory';
