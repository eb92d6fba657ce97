/** What the fit estimates need to know about this machine: the engine's backend and its memory. */
export interface MachineMemory {
  backend: 'cpu' | 'cuda' | 'vulkan' | 'metal';
  /** Null on the CPU backend. */
  vram: { total: number; used: number } | null;
  ram: { total: number; free: number };
}
