/**
 * A byte-level SPM vocabulary (`tokenizer.ggml.model = "llama"`) as llama.cpp expects it:
 * `<unk>`, `<s>`, `</s>`, the 256 byte tokens, then pieces with scores. The ChatML
 * control tokens come last so node-llama-cpp recognises the template's special tokens.
 */

export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
  unkId: number;
  bosId: number;
  eosId: number;
  imStartId: number;
  imEndId: number;
}

const SPACE = '\u2581';

const WORDS = (
  'the of and to in is it you that he was for on are with as his they be at one have this from or had by ' +
  'word but what some we can out other were all there when up use your how said an each she which do their ' +
  'time if will way about many then them write would like so these her long make thing see him two has look ' +
  'more day could go come did number sound no most people my over know water than call first who may down ' +
  'side been now find any new work part take get place made live where after back little only round man year ' +
  'came show every good me give our under name very through just form sentence great think say help low line ' +
  'differ turn cause much mean before move right boy old too same tell does set three want air well also play ' +
  'small end put home read hand port large spell add even land here must big high such follow act why ask men ' +
  'change went light kind off need house picture try us again animal point mother world near build self earth ' +
  'father head stand own page should country found answer school grow study still learn plant cover food sun ' +
  'four between state keep eye never last let thought city tree cross farm hard start might story saw far sea ' +
  'draw left late run while press close night real life few north open seem together next white children begin ' +
  'got walk example ease paper group always music those both mark often letter until mile river car feet care ' +
  'second book carry took science eat room friend began idea fish mountain stop once base hear horse cut sure ' +
  'watch color face wood main enough plain girl usual young ready above ever red list though feel talk bird soon'
).split(' ');

const PUNCTUATION = ['.', ',', '!', '?', ':', ';', "'", '"', '-', '(', ')', '\n'];

export interface VocabOptions {
  /** Adds every two-letter piece, for a vocabulary in the low thousands. */
  bigrams: boolean;
}

export function buildVocab(options: VocabOptions): Vocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const seen = new Set<string>();
  const add = (piece: string, score: number, type: number): number => {
    seen.add(piece);
    tokens.push(piece);
    scores.push(score);
    types.push(type);
    return tokens.length - 1;
  };
  const addPiece = (piece: string): void => {
    // SPM merges prefer higher scores; longer pieces win so whole words come out as one token.
    if (!seen.has(piece)) add(piece, piece.length - tokens.length * 1e-4, TOKEN_TYPE.normal);
  };

  const unkId = add('<unk>', 0, TOKEN_TYPE.unknown);
  const bosId = add('<s>', 0, TOKEN_TYPE.control);
  const eosId = add('</s>', 0, TOKEN_TYPE.control);
  for (let b = 0; b < 256; b++) {
    add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 0, TOKEN_TYPE.byte);
  }
  // Single characters first: every word below can then be reached by successive merges.
  addPiece(SPACE);
  for (const c of 'abcdefghijklmnopqrstuvwxyz') {
    addPiece(c);
    addPiece(SPACE + c);
  }
  for (const p of PUNCTUATION) addPiece(p);
  for (const word of WORDS) {
    const piece = SPACE + word;
    for (let end = 2; end <= piece.length; end++) addPiece(piece.slice(0, end));
  }
  if (options.bigrams) {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (const a of letters) for (const b of letters) addPiece(a + b);
  }
  const imStartId = add('<|im_start|>', 0, TOKEN_TYPE.control);
  const imEndId = add('<|im_end|>', 0, TOKEN_TYPE.control);
  return { tokens, scores, types, unkId, bosId, eosId, imStartId, imEndId };
}

/** The standard ChatML template; node-llama-cpp maps it to its ChatMLChatWrapper. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
