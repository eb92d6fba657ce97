import { describe, expect, it } from 'vitest';
import { configSchema } from '../config';

describe("switchboard.yaml's gateway section", () => {
  it('takes the settings, with numbers and booleans from ${ENV} text', () => {
    const config = configSchema.parse({ gateway: { enabled: 'true', port: '5190', host: '127.0.0.1', allowedHosts: ['box.lan'], corsOrigins: ['http://localhost:3000', '*'], maxBodyBytes: 4096, maxConcurrency: 4 } });
    expect(config.gateway).toEqual({ enabled: true, port: 5190, host: '127.0.0.1', allowedHosts: ['box.lan'], corsOrigins: ['http://localhost:3000', '*'], maxBodyBytes: 4096, maxConcurrency: 4 });
    expect(configSchema.parse({}).gateway).toBeUndefined();
  });

  it('names what is wrong', () => {
    const issues = (gateway: unknown) => configSchema.safeParse({ gateway }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ corsOrigins: ['localhost:3000'] })).toEqual(['gateway.corsOrigins.0: expected an origin such as http://localhost:3000 (scheme, host, port; no path), or *']);
    expect(issues({ port: 70000 })).toEqual(['gateway.port: expected at most 65535']);
    expect(issues({ prot: 5178 })?.[0]).toContain('prot');
  });
});
