/** The models global setup puts in the data dir's models folder. Ids are `local/<file name>`. */
export const TINY_MODEL_FILE = 'tiny.gguf';
export const TINY_MODEL_ID = 'local/tiny';
export const BROKEN_MODEL_FILE = 'broken.gguf';
export const BROKEN_MODEL_ID = 'local/broken';

/** A few bytes that are not a GGUF header. */
export const BROKEN_MODEL_BYTES = Buffer.from('this is not a gguf file\n\x00\x01\x02', 'latin1');
