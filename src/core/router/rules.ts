import { messageText, type CallOptions } from '../../shared/llm';
import type { Deployment } from './deployment';

/** Use-case routing: when a request matches, it goes to the group `use` names. All given conditions must hold. */
export interface RoutingRule {
  when: {
    /** A tag on the request (`coding`). */
    tag?: string;
    /** The model name the caller asked for (`auto`). */
    model?: string;
    /** The client that sent it (`chat`, `cli`, `gateway`). */
    client?: string;
    /** A matcher on the prompt text (every message's text and the system prompt). */
    prompt?: RegExp | ((text: string) => boolean);
  };
  use: string;
}

export interface RuleSubject {
  model: string;
  tags?: readonly string[];
  client?: string;
  options: CallOptions;
}

/** The prompt text a `prompt` matcher sees. */
export function promptText(options: CallOptions): string {
  return [options.system ?? '', ...options.messages.map(messageText)].filter((t) => t !== '').join('\n');
}

/** The first rule whose every condition holds, or undefined. */
export function matchRule(rules: readonly RoutingRule[], subject: RuleSubject): RoutingRule | undefined {
  let text: string | undefined;
  return rules.find(({ when }) => {
    if (when.tag !== undefined && !(subject.tags ?? []).includes(when.tag)) return false;
    if (when.model !== undefined && when.model !== subject.model) return false;
    if (when.client !== undefined && when.client !== subject.client) return false;
    if (when.prompt !== undefined) {
      text ??= promptText(subject.options);
      const matcher = when.prompt;
      if (typeof matcher === 'function') {
        if (!matcher(text)) return false;
      } else {
        // Compiled once (by the config); a g or y flag makes test() resume at lastIndex, so start over.
        matcher.lastIndex = 0;
        if (!matcher.test(text)) return false;
      }
    }
    return true;
  });
}

/** Puts the preferred provider's deployments first, keeping the order within each part. */
export function preferProvider(ordered: readonly Deployment[], provider: string | undefined): Deployment[] {
  if (provider === undefined) return [...ordered];
  return [...ordered.filter((d) => d.provider === provider), ...ordered.filter((d) => d.provider !== provider)];
}

/**
 * A prompt matcher from config text: a JavaScript regular expression, as `/pattern/flags` or a bare
 * pattern (matched case-insensitively). Returns the compiled RegExp, or why it does not compile.
 */
export function compilePromptMatcher(text: string): RegExp | string {
  const delimited = /^\/(.*)\/([a-z]*)$/s.exec(text);
  try {
    return delimited ? new RegExp(delimited[1] ?? '', (delimited[2] ?? '').replace('g', '')) : new RegExp(text, 'i');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
