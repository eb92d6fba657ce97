/**
 * The reference for the engine-stream row: bare node-llama-cpp in its own process, using
 * LlamaChat directly with the settings the bench sends. It times generation inside this
 * process, so the number carries no IPC cost at all.
 *
 * argv: modelPath contextSize threads. IPC in: { type: 'run', prompt, maxTokens, temperature, seed }.
 * IPC out: { type: 'ready' }, { type: 'result', outputTokens, ms, text }.
 */
import { getLlama, LlamaChat } from 'node-llama-cpp';

interface RunMessage {
  type: 'run';
  prompt: string;
  maxTokens: number;
  temperature: number;
  seed: number;
}

const [modelPath, contextSize, threads] = process.argv.slice(2);
if (!modelPath || !contextSize || !threads) throw new Error('usage: llama-chat-stream <model> <contextSize> <threads>');

const llama = await getLlama({ build: 'never', gpu: false });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: Number(contextSize), threads: Number(threads), sequences: 1 });
const sequence = context.getSequence();
const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });

process.on('message', (raw: unknown) => {
  const message = raw as RunMessage;
  if (message.type !== 'run') return;
  void (async () => {
    const before = sequence.tokenMeter.getState();
    let text = '';
    const start = performance.now();
    await chat.generateResponse([{ type: 'user', text: message.prompt }, { type: 'model', response: [] }], {
      maxTokens: message.maxTokens,
      temperature: message.temperature,
      seed: message.seed,
      onTextChunk: (chunk) => {
        text += chunk;
      },
    });
    const ms = performance.now() - start;
    const outputTokens = sequence.tokenMeter.diff(before).usedOutputTokens;
    process.send?.({ type: 'result', outputTokens, ms, text });
  })();
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
