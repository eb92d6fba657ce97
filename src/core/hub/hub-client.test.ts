import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHub, startFakeHub, testModelRepos } from '../../../test/hub/fake-hub';
import { createHubClient } from './hub-client';
import { HubError } from './hub-error';
import { resolveHubUrl } from './hub-url';
import { quantizationFromName } from './quantization-from-name';

let dir: string;
let hub: FakeHub;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-hub-'));
  const repos = await testModelRepos(dir);
  hub = await startFakeHub({ repos: [...repos, { id: 'someone/not-gguf', tags: ['safetensors'], files: [{ path: 'model.safetensors', source: Buffer.from('x') }] }] });
});

afterAll(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hub client (through @huggingface/hub against the fake hub)', () => {
  it('searches repos tagged gguf and lists their GGUF files with sizes and LFS sha256, smallest first', async () => {
    const client = createHubClient({ hubUrl: hub.url });
    const repos = await client.search({ query: 'tiny', limit: 10, sort: 'downloads' });
    expect(repos.map((r) => r.id)).toEqual(['switchboard-test/tiny-GGUF']);
    const [repo] = repos;
    expect(repo?.downloads).toBe(500);
    expect(repo?.files.map((f) => f.path).sort()).toEqual(['tiny-F32.gguf', 'tiny-Q8_0.gguf']);
    for (const file of repo?.files ?? []) {
      expect(file.sizeBytes).toBeGreaterThan(100_000);
      expect(file.sha256).toBe(hub.sha256Of('switchboard-test/tiny-GGUF', file.path));
    }
    expect(hub.requests.some((r) => r.path.startsWith('/api/models?') && r.path.includes('filter=gguf'))).toBe(true);
    expect(await client.search({ query: 'nothing-matches', limit: 10, sort: 'likes' })).toEqual([]);
  });

  it('locates a file: its resolve URL, size and sha256; an unknown file or repo is not_found', async () => {
    const client = createHubClient({ hubUrl: hub.url, token: 'hf_secret' });
    const location = await client.locate('switchboard-test/tiny-GGUF', 'tiny-Q8_0.gguf');
    expect(location).toMatchObject({
      url: `${hub.url}/switchboard-test/tiny-GGUF/resolve/main/tiny-Q8_0.gguf`,
      sha256: hub.sha256Of('switchboard-test/tiny-GGUF', 'tiny-Q8_0.gguf'),
      headers: { Authorization: 'Bearer hf_secret' },
    });
    await expect(client.locate('switchboard-test/tiny-GGUF', 'nope.gguf')).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.repo('nobody/nothing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reads a GGUF header remotely with Range requests, without downloading the file', async () => {
    const client = createHubClient({ hubUrl: hub.url });
    const before = hub.servedBytes;
    const header = await client.readHeader('switchboard-test/small-GGUF', 'small-F16.gguf');
    expect(header).toMatchObject({ rangeSupported: true, architecture: 'llama', contextLength: 2048, hasChatTemplate: true, quantization: 'F16' });
    expect(header.parameterCount).toBeGreaterThan(0);
    expect(header.sizeBytes).toBeGreaterThan(0);
    expect(hub.servedBytes - before).toBeLessThan((header.sizeBytes as number) / 4);
  });

  it('says when the hub serves no ranges, reading nothing', async () => {
    hub.setRanges(false);
    try {
      const header = await createHubClient({ hubUrl: hub.url }).readHeader('switchboard-test/tiny-GGUF', 'tiny-F32.gguf');
      expect(header).toMatchObject({ rangeSupported: false, architecture: null });
    } finally {
      hub.setRanges(true);
    }
  });

  it('names the hub when it cannot be reached', async () => {
    const error = await createHubClient({ hubUrl: 'http://127.0.0.1:9' }).search({ query: '', limit: 1, sort: 'downloads' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).message).toMatch(/cannot reach the hub at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('hub url and names', () => {
  it('takes hub.url, else HF_ENDPOINT, else huggingface.co', () => {
    expect(resolveHubUrl('http://mirror.test/', { HF_ENDPOINT: 'http://other' })).toBe('http://mirror.test');
    expect(resolveHubUrl(undefined, { HF_ENDPOINT: 'http://other/' })).toBe('http://other');
    expect(resolveHubUrl(undefined, {})).toBe('https://huggingface.co');
  });

  it('reads the quantization from a file name', () => {
    expect(quantizationFromName('qwen2.5-0.5b-instruct-q4_k_m.gguf')).toBe('Q4_K_M');
    expect(quantizationFromName('Llama-3.2-1B-Instruct-IQ4_XS.gguf')).toBe('IQ4_XS');
    expect(quantizationFromName('sub/model.Q8_0.gguf')).toBe('Q8_0');
    expect(quantizationFromName('model-f16-00001-of-00002.gguf')).toBe('F16');
    expect(quantizationFromName('model.gguf')).toBeNull();
  });
});
