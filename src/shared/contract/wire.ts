import { z } from 'zod';
import { contractErrorSchema } from './route';

/**
 * Frames of the contract over a message channel (WebSocket in `serve`).
 * Electron's bridge carries the same frames over ipcRenderer/ipcMain.
 */
const id = z.string().min(1).max(64);

export const clientFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('req'), id, route: z.string().max(128), input: z.unknown() }),
  z.object({ t: z.literal('stream'), id, route: z.string().max(128), input: z.unknown() }),
  z.object({ t: z.literal('abort'), id }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('res'),
    id,
    result: z.union([
      z.object({ ok: z.literal(true), data: z.unknown() }),
      z.object({ ok: z.literal(false), error: contractErrorSchema }),
    ]),
  }),
  z.object({ t: z.literal('chunk'), id, data: z.unknown() }),
  /** A stream's end. `error` is set when it failed before or outside its chunks. */
  z.object({ t: z.literal('end'), id, error: contractErrorSchema.optional() }),
  /** A pushed event, not tied to a request. */
  z.object({ t: z.literal('event'), name: z.string(), data: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
