import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('defaults to PGlite under ./data on port 8080, frozen', () => {
    const c = loadConfig({ env: {} });
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toMatch(/data$/);
    expect(c.port).toBe(8080);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('lets flags win over the environment', () => {
    const c = loadConfig({ env: { PORT: '9000' }, flags: { port: '9100' } });
    expect(c.port).toBe(9100);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({
        env: {
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          LOG_LEVEL: 'loud',
          GOVSHARE_SECURE_COOKIES: 'maybe',
        },
      });
      expect.unreachable('loadConfig should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'GOVSHARE_SECURE_COOKIES'])
        expect(problems).toContain(name);
    }
  });
});
