import type { ChatCompletionTool, ChatCompletionToolChoiceOption } from 'openai/resources/chat/completions';
import type { CallWarning, ToolChoice, ToolDefinition } from '../../../shared/llm';

/** The spec's tools and tool choice → OpenAI function tools and `tool_choice`. */
export function prepareOpenAITools(
  tools: readonly ToolDefinition[] | undefined,
  toolChoice: ToolChoice | undefined,
): { tools?: ChatCompletionTool[]; toolChoice?: ChatCompletionToolChoiceOption; warnings: CallWarning[] } {
  const warnings: CallWarning[] = [];
  if (tools === undefined || tools.length === 0) {
    if (toolChoice !== undefined) warnings.push({ type: 'unsupported', feature: 'toolChoice', details: 'a tool choice without tools is ignored' });
    return { warnings };
  }
  const openAITools: ChatCompletionTool[] = tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.inputSchema,
    },
  }));
  if (toolChoice === undefined) return { tools: openAITools, warnings };
  if (typeof toolChoice === 'string') return { tools: openAITools, toolChoice, warnings };
  if (!tools.some((t) => t.name === toolChoice.toolName)) {
    warnings.push({ type: 'other', message: `toolChoice names "${toolChoice.toolName}", which is not among the tools; left to the model` });
    return { tools: openAITools, toolChoice: 'auto', warnings };
  }
  return { tools: openAITools, toolChoice: { type: 'function', function: { name: toolChoice.toolName } }, warnings };
}
