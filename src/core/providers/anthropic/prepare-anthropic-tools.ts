import type { Tool, ToolChoice as AnthropicToolChoice } from '@anthropic-ai/sdk/resources/messages';
import type { CallWarning, ToolChoice, ToolDefinition } from '../../../shared/llm';

export interface PreparedAnthropicTools {
  tools?: Tool[];
  tool_choice?: AnthropicToolChoice;
  warnings: CallWarning[];
}

/**
 * Tools and tool choice in Anthropic's terms: `auto` → auto, `required` → any, `none` → none,
 * one named tool → tool. Anthropic wants an object schema; a schema without a type gets `object`.
 */
export function prepareAnthropicTools(tools: ToolDefinition[] | undefined, toolChoice: ToolChoice | undefined): PreparedAnthropicTools {
  const warnings: CallWarning[] = [];
  if (tools === undefined || tools.length === 0) {
    if (toolChoice !== undefined && toolChoice !== 'none' && toolChoice !== 'auto') {
      warnings.push({ type: 'unsupported', feature: 'toolChoice', details: 'a tool choice without tools is ignored' });
    }
    return { warnings };
  }
  const prepared: Tool[] = tools.map((tool) => {
    const { type, ...rest } = tool.inputSchema;
    if (type !== undefined && type !== 'object') {
      warnings.push({ type: 'other', message: `tool ${tool.name}: Anthropic needs an object input schema, not ${String(type)}` });
    }
    const out: Tool = { name: tool.name, input_schema: { ...rest, type: 'object' } };
    if (tool.description !== undefined) out.description = tool.description;
    return out;
  });
  const result: PreparedAnthropicTools = { tools: prepared, warnings };
  if (toolChoice === undefined) return result;
  if (toolChoice === 'auto') result.tool_choice = { type: 'auto' };
  else if (toolChoice === 'required') result.tool_choice = { type: 'any' };
  else if (toolChoice === 'none') result.tool_choice = { type: 'none' };
  else {
    if (!tools.some((t) => t.name === toolChoice.toolName)) {
      warnings.push({ type: 'other', message: `tool choice names ${toolChoice.toolName}, which is not among the tools` });
    }
    result.tool_choice = { type: 'tool', name: toolChoice.toolName };
  }
  return result;
}
