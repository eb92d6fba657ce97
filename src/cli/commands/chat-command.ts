import type { Command } from 'commander';
import { z } from 'zod';
import type { Dispatcher } from '../../core/api/dispatcher';
import { type ContractError, chatEventSchema } from '../../shared/contract';
import type { CliIo } from '../cli-io';
import { CliError, EXIT } from '../cli-error';
import { dataDirFlag, intFlag, numberFlag, parseOptions, withDataDir } from '../options';
import { CLI_ORIGIN, withCore } from '../with-core';

const chatOptionsSchema = z.object({
  prompt: z.string().min(1, 'the prompt is empty'),
  /** Optional with --assistant (its model), or --conversation (the conversation's last). */
  model: z.string().min(1, 'expected a model id such as local/<name>').optional(),
  assistant: z.string().min(1, 'expected an assistant name (see switchboard.yaml, assistants:)').optional(),
  system: z.string().optional(),
  maxTokens: intFlag(1, 1_000_000).optional(),
  temperature: numberFlag(0, 2).optional(),
  conversation: z.string().min(1).optional(),
  json: z.boolean().default(false),
  dataDir: dataDirFlag,
}).refine((o) => o.model !== undefined || o.assistant !== undefined || o.conversation !== undefined, {
  path: ['model'],
  message: 'required (a model id such as local/<name>), unless --assistant or --conversation gives one',
});

export function registerChatCommand(program: Command, io: CliIo): void {
  const command = program
    .command('chat')
    .description('send one prompt and stream the reply to stdout')
    .argument('<prompt>', 'what to ask')
    .option('--model <id>', 'model to use, e.g. local/<file name> (see: switchboard models list); required without --assistant or --conversation')
    .option('--assistant <name>', 'an assistant from switchboard.yaml: its system prompt, model and parameters (explicit flags win)')
    .option('--system <text>', 'system prompt')
    .option('--max-tokens <n>', 'most tokens to generate')
    .option('--temperature <t>', 'sampling temperature, 0 to 2')
    .option('--conversation <id>', 'continue a stored conversation')
    .option('--json', 'print every stream event as one JSON line instead of the text');
  withDataDir(command).action(async (prompt: string, flags: Record<string, unknown>) => {
    const options = parseOptions(command, chatOptionsSchema, { ...flags, prompt });
    await withCore(options.dataDir, (dispatcher) => runChat(io, options, dispatcher));
  });
}

type ChatOptions = z.output<typeof chatOptionsSchema>;

async function runChat(io: CliIo, options: ChatOptions, dispatcher: Dispatcher): Promise<void> {
  const notFoundHint = `Run "switchboard models list --data-dir ${options.dataDir}" to see the models you have.`;
  const input = {
    model: options.model,
    assistant: options.assistant,
    text: options.prompt,
    system: options.system,
    maxOutputTokens: options.maxTokens,
    temperature: options.temperature,
    conversationId: options.conversation,
  };
  const opened = dispatcher.stream('chat.send', input, CLI_ORIGIN);
  // The core marks an unknown model with `data.available`; other NOT_FOUNDs (a conversation) need no models hint.
  const explain = (error: ContractError) => (isUnknownModel(error) ? `${error.message}. ${notFoundHint}` : error.message);
  if (!opened.ok) throw new CliError(`chat: ${explain(opened.error)}`);
  const stream = opened.data;

  let interrupted = false;
  const stopListening = io.onInterrupt(() => {
    // First Ctrl-C aborts; the handler then records the call as aborted and the stream ends.
    interrupted = true;
    stream.abort();
  });
  let failure: string | undefined;
  let textOpen = false;
  try {
    for await (const chunk of stream.chunks) {
      const event = chatEventSchema.parse(chunk);
      if (event.type === 'error') {
        failure = event.error.kind === 'not_found' ? `${event.error.message}. ${notFoundHint}` : event.error.message;
      }
      if (options.json) {
        await io.out(`${JSON.stringify(event)}\n`);
      } else if (event.type === 'text-delta' && event.delta !== '') {
        textOpen = true;
        await io.out(event.delta);
      }
    }
  } catch (error) {
    failure = explain(dispatcher.streamError(error));
  } finally {
    stopListening();
  }
  if (textOpen) await io.out('\n');
  if (interrupted) throw new CliError('chat: aborted', EXIT.interrupted);
  if (failure !== undefined) throw new CliError(`chat: ${failure}`);
}

function isUnknownModel(error: ContractError): boolean {
  return error.code === 'NOT_FOUND' && typeof error.data === 'object' && error.data !== null && 'available' in error.data;
}
