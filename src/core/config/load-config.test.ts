import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssues } from './config-issue';
import { type ConfigLoad, loadConfig, parseConfigText } from './load-config';

const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function load(text: string, env: Record<string, string> = {}, ext = 'yaml'): Promise<ConfigLoad> {
  const path = join(dir, `config-${n++}.${ext}`);
  writeFileSync(path, text);
  return loadConfig(path, { env });
}

function errorsOf(result: ConfigLoad): string {
  if (result.ok) throw new Error('expected the config to be refused');
  return formatIssues(result.errors);
}

const SKETCH = `
providers:                     # name -> connection; \`type\` picks the adapter
  openai:  { type: openai, apiKey: \${OPENAI_API_KEY} }
  claude:  { type: anthropic, apiKey: \${ANTHROPIC_API_KEY} }
  lab:     { type: openai-compatible, baseURL: http://gpu-box:8000/v1, headers: { X-Team: ml }, timeoutMs: 60000 }
  ollama:  { type: ollama, baseURL: http://127.0.0.1:11434 }
  local:   { type: local }     # the built-in engine; models come from the models folders
groups:                        # the names callers use
  fast:
    strategy: lowest-cost
    deployments:
      - { provider: local, model: qwen2.5-0.5b-instruct-q4_k_m }
      - { provider: openai, model: gpt-4o-mini, weight: 2 }
    fallbacks: [smart]
  smart:
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
rules:
  - { when: { tag: coding }, use: fast }
budgets:
  - { scope: "provider:openai", monthly: 20, onExceeded: fallback-local }
engine: { gpu: auto, threads: auto }
`;

describe('loadConfig', () => {
  it('reads the DESIGN.md sketch, flow mappings with ${ENV} included', async () => {
    const result = await load(SKETCH, { OPENAI_API_KEY: 'sk-test-openai', ANTHROPIC_API_KEY: 'sk-ant-test' });
    if (!result.ok) throw new Error(formatIssues(result.errors));
    const { config } = result;
    expect(config.providers.openai).toEqual({ type: 'openai', apiKey: 'sk-test-openai' });
    expect(config.providers.claude).toEqual({ type: 'anthropic', apiKey: 'sk-ant-test' });
    expect(config.providers.lab).toEqual({
      type: 'openai-compatible', baseURL: 'http://gpu-box:8000/v1', headers: { 'X-Team': 'ml' }, timeoutMs: 60000,
    });
    expect(config.groups.fast?.deployments[1]).toEqual({ provider: 'openai', model: 'gpt-4o-mini', weight: 2 });
    expect(config.groups.fast?.fallbacks).toEqual(['smart']);
    expect(config.rules).toEqual([{ when: { tag: 'coding' }, use: 'fast' }]);
    expect(config.budgets[0]).toEqual({ scope: 'provider:openai', monthly: 20, onExceeded: 'fallback-local' });
    expect(config.engine).toEqual({ gpu: 'auto', threads: 'auto' });
    expect(config.models.folders).toEqual([]);
  });

  it('treats a missing file as an empty config', async () => {
    const result = await loadConfig(join(dir, 'nope.yaml'));
    expect(result).toMatchObject({ ok: true, exists: false, config: { providers: {}, groups: {} } });
  });

  it('accepts JSON', async () => {
    const result = await load(JSON.stringify({ providers: { ds: { type: 'deepseek', apiKey: '${DS_KEY}' } }, models: { folders: ['/m'] } }), { DS_KEY: 'sk-ds' }, 'json');
    expect(result).toMatchObject({ ok: true, config: { providers: { ds: { type: 'deepseek', apiKey: 'sk-ds' } }, models: { folders: ['/m'] } } });
  });

  it('names the path of a bad value', async () => {
    const errors = errorsOf(await load('providers:\n  openai: { type: openai, baseURL: not a url }\n'));
    expect(errors).toBe('providers.openai.baseURL: expected a URL (http:// or https://)');
  });

  it('names unknown types, misspelt keys and missing fields', async () => {
    const errors = errorsOf(
      await load(
        [
          'providers:',
          '  a: { type: opnai }',
          '  b: { type: openai, baseUrl: "http://x" }',
          '  c: { type: azure, apiVersion: "2024-10-21" }',
          '  d: { type: openai-compatible, baseURL: "http://x", timeoutMs: soon }',
        ].join('\n'),
      ),
    );
    expect(errors.split('\n')).toEqual([
      'providers.a.type: unknown provider type "opnai"; expected one of openai, azure, anthropic, openrouter, deepseek, openai-compatible, ollama, local, mock',
      'providers.b: unknown key "baseUrl" (did you mean "baseURL"?)',
      'providers.c.endpoint: required',
      'providers.d.timeoutMs: expected a whole number from 1 to 3600000',
    ]);
  });

  it('says how to fix a missing type or an unknown key: the key meant, or the keys allowed there', () => {
    const errors = errorsOf(
      parseConfigText(
        [
          'provider: {}',
          'providers:',
          '  a: { apiKey: x }',
          '  b: { type: openai, fooBar: 1 }',
          'groups:',
          '  fast: { deployments: [{ provider: local, model: tiny }], fallback: [fast] }',
          'engine: { models: { local/x: { contextsize: 4096 } } }',
        ].join('\n'),
      ),
    );
    expect(errors.split('\n')).toEqual([
      'providers.a.type: required: the provider\'s type, expected one of openai, azure, anthropic, openrouter, deepseek, openai-compatible, ollama, local, mock',
      'providers.b: unknown key "fooBar"; expected "type", "apiKey", "baseURL", "organization", "project", "headers", "timeoutMs", "maxRetries"',
      'groups.fast: unknown key "fallback" (did you mean "fallbacks"?)',
      'engine.models["local/x"]: unknown key "contextsize" (did you mean "contextSize"?)',
      'unknown key "provider" (did you mean "providers"?)',
    ]);
  });

  it('checks what groups and rules refer to', async () => {
    const errors = errorsOf(
      await load(
        [
          'providers: { openai: { type: openai } }',
          'groups:',
          '  fast:',
          '    deployments: [{ provider: local, model: a }, { provider: opnai, model: b }]',
          '    fallbacks: [slow]',
          'rules: [{ when: { tag: x }, use: quick }]',
        ].join('\n'),
      ),
    );
    expect(errors.split('\n')).toEqual([
      'groups.fast.deployments[1].provider: unknown provider "opnai"; configured: local, openai',
      'groups.fast.fallbacks[0]: unknown group "slow"; groups: fast',
      'rules[0].use: unknown group "quick"; groups: fast',
    ]);
  });

  it('substitutes ${VAR}, ${VAR:-default} and $${literal}, with numbers from text', async () => {
    const result = await load(
      [
        'providers:',
        '  lab:',
        '    type: openai-compatible',
        '    baseURL: http://${LAB_HOST}:${LAB_PORT:-8000}/v1',
        '    timeoutMs: ${LAB_TIMEOUT}',
        '    insecureTLS: ${LAB_INSECURE:-false}',
        '    headers: { X-Literal: "$${NOT_A_VAR}" }',
      ].join('\n'),
      { LAB_HOST: 'gpu-box', LAB_TIMEOUT: '5000' },
    );
    expect(result).toMatchObject({
      ok: true,
      config: {
        providers: {
          lab: { baseURL: 'http://gpu-box:8000/v1', timeoutMs: 5000, insecureTLS: false, headers: { 'X-Literal': '${NOT_A_VAR}' } },
        },
      },
    });
  });

  it('reports an unset variable at the path that uses it, and ignores ones in comments', async () => {
    const errors = errorsOf(await load('# ${IN_A_COMMENT}\nproviders:\n  openai: { type: openai, apiKey: ${SB_TEST_UNSET_KEY} }\n'));
    expect(errors).toBe('providers.openai.apiKey: environment variable SB_TEST_UNSET_KEY is not set (set it, or write ${SB_TEST_UNSET_KEY:-default})');
  });

  it('reports a YAML syntax error with its line, without echoing the line', () => {
    const result = parseConfigText('providers:\n  openai:\n    apiKey: sk-secret-123: oops\n');
    const errors = errorsOf(result);
    expect(errors).toMatch(/^not valid YAML at line 3: /);
    expect(errors).not.toContain('sk-secret-123');
  });

  it('refuses a top level that is not a mapping, and "local" with another type', () => {
    expect(errorsOf(parseConfigText('- a\n- b\n'))).toMatch(/expected a mapping at the top/);
    expect(errorsOf(parseConfigText('providers: { local: { type: openai } }'))).toBe(
      'providers.local.type: "local" is the built-in engine; its type must be local',
    );
  });

  it('validates mock settings with their paths', () => {
    const ok = parseConfigText('providers: { try: { type: mock, echo: true, latencyMs: 20, fault: { kind: rate_limit, rate: 0.5 } } }');
    expect(ok).toMatchObject({ ok: true, config: { providers: { try: { type: 'mock', echo: true, latencyMs: 20, fault: { kind: 'rate_limit', rate: 0.5 } } } } });
    const bad = errorsOf(parseConfigText('providers: { try: { type: mock, fault: { kind: oops, rate: 2 } } }'));
    expect(bad.split('\n')).toEqual([
      expect.stringMatching(/^providers\.try\.fault\.kind: /),
      'providers.try.fault.rate: expected a share from 0 to 1',
    ]);
  });

  it('an empty file is an empty config', () => {
    expect(parseConfigText('# nothing yet\n')).toMatchObject({ ok: true, config: { providers: {} } });
  });
});
