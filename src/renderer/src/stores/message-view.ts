import type { AttachmentRef, AttemptEvent, ChatMessage, MessageRoute, MessageStatus, StoredToolCall } from '../../../shared/domain';
import type { Usage } from '../../../shared/llm';

/** What the UI shows for one message; the stored ChatMessage plus what only streaming knows. */
export interface MessageView {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  /** Reasoning text, for models that think aloud; empty for most. */
  reasoning: string;
  status: MessageStatus;
  model: string | null;
  createdAt: number;
  usage: Usage | null;
  /** Shown inline in the message. `kind` is a provider error kind or a contract error code. */
  error: { kind: string; message: string } | null;
  latencyMs: number | null;
  ttftMs: number | null;
  finishReason: string | null;
  /** Images the user attached (user messages). */
  attachments: AttachmentRef[];
  /** Tools the model asked to call, as streamed, or as stored with the reply. */
  toolCalls: ToolCallView[];
  /** What the provider said it could not do with this request (e.g. images left out by a text-only model). */
  warnings: string[];
  /** Attempts of the routed call as they ended, live (which deployment, retries, fallbacks). */
  attempts: Omit<AttemptEvent, 'type'>[];
  /** How the stored reply was served: deployment, fallbacks, tokens by kind, cost (assistant replies). */
  route: MessageRoute | null;
}

/** One tool call: name, the arguments as the model wrote them (JSON text) and the result when there is one. */
export type ToolCallView = StoredToolCall;

export function fromChatMessage(message: ChatMessage): MessageView {
  return {
    id: message.id,
    role: message.role,
    text: message.text,
    reasoning: message.reasoning ?? '',
    status: message.status,
    model: message.model,
    createdAt: message.createdAt,
    usage: message.usage,
    error: message.error === null ? null : { kind: message.error.kind, message: message.error.message },
    latencyMs: message.latencyMs,
    ttftMs: message.ttftMs,
    finishReason: null,
    attachments: message.attachments ?? [],
    toolCalls: message.toolCalls ?? [],
    warnings: [],
    attempts: [],
    route: message.route ?? null,
  };
}
