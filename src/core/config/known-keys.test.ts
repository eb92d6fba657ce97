import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from './config-schema';
import { closestKey, knownKeysAt } from './known-keys';

describe('knownKeysAt', () => {
  it('follows records, arrays and optional wrappers to the object at the path', () => {
    const tree = { groups: { fast: { deployments: [{ provider: 'local' }] } } };
    expect(knownKeysAt(configSchema, ['groups', 'fast', 'deployments', 0], tree)).toEqual(expect.arrayContaining(['provider', 'model']));
    expect(knownKeysAt(configSchema, [], tree)).toEqual(expect.arrayContaining(['providers', 'groups', 'gateway']));
  });

  it('picks the provider schema that the value\'s type names', () => {
    const tree = { providers: { a: { type: 'openai-compatible' }, b: { type: 'mock' } } };
    expect(knownKeysAt(configSchema, ['providers', 'a'], tree)).toContain('insecureTLS');
    expect(knownKeysAt(configSchema, ['providers', 'b'], tree)).toContain('echo');
    expect(knownKeysAt(configSchema, ['providers', 'b'], tree)).not.toContain('insecureTLS');
  });

  it('is empty where the path leads to no object', () => {
    expect(knownKeysAt(configSchema, ['aliases', 'x'], { aliases: { x: 'y' } })).toEqual([]);
    expect(knownKeysAt(z.string(), ['a'], {})).toEqual([]);
    expect(knownKeysAt(configSchema, ['providers', 'a'], { providers: { a: { type: 'nope' } } })).toEqual([]);
  });
});

describe('closestKey', () => {
  it('finds another case or a typo or two, and nothing far off', () => {
    expect(closestKey('apikey', ['type', 'apiKey'])).toBe('apiKey');
    expect(closestKey('baseUrl', ['baseURL'])).toBe('baseURL');
    expect(closestKey('temprature', ['temperature', 'topP'])).toBe('temperature');
    expect(closestKey('modle', ['model', 'provider'])).toBe('model');
    expect(closestKey('fooBar', ['type', 'apiKey'])).toBeUndefined();
    expect(closestKey('prt', ['port', 'host'])).toBe('port');
    expect(closestKey('ab', ['xy'])).toBeUndefined();
  });
});
