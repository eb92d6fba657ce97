import { describe, expect, it } from 'vitest';
import { workerEnvironment } from './worker-environment';

describe('workerEnvironment', () => {
  it('keeps what the engine needs and drops what looks like a credential', () => {
    const env = workerEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/me',
      LD_LIBRARY_PATH: '/opt/cuda/lib64',
      CUDA_VISIBLE_DEVICES: '0',
      NODE_OPTIONS: '--max-old-space-size=4096',
      OPENAI_API_KEY: 'sk-1',
      ANTHROPIC_API_KEY: 'sk-ant-1',
      OPENROUTER_APIKEY: 'x',
      GH_TOKEN: 'ghp_1',
      DB_PASSWORD: 'p',
      AWS_SECRET: 's',
      GOOGLE_APPLICATION_CREDENTIALS: '/k.json',
    });
    expect(Object.keys(env).sort()).toEqual(['CUDA_VISIBLE_DEVICES', 'HOME', 'LD_LIBRARY_PATH', 'NODE_OPTIONS', 'PATH']);
  });
});
