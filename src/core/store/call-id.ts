import { v7 as uuidv7 } from 'uuid';

/**
 * An id for a `calls` row or a routed request: a UUIDv7 (RFC 9562), which starts with the time in
 * ms. `calls.id` and `calls.request_id` are indexed; random (v4) ids land on a random leaf page of
 * each index for every call, which at a million rows means reading and rewriting pages nowhere near
 * the last call's. Time-ordered ids append to the same few pages, so recording a call dirties (and
 * commits) far fewer pages. They stay unique and unguessable enough for ids (74 random bits).
 */
export const newCallId = (): string => uuidv7();
