import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, SCREENSHOTS } from './chromium.js';
import { type RunningServer, startServer } from './server.js';

describe('a freshly started node, as a newcomer sees it', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('prints its URL and the demo logins, and answers /healthz', async () => {
    expect(server.output()).toContain(server.url.replace('127.0.0.1', 'localhost').replace(/:\d+$/, ''));
    expect(server.output()).toMatch(/admin\s+platform_admin/);
    const r = await fetch(`${server.url}/healthz`);
    expect(r.status).toBe(200);
  });

  it('serves browsable API documentation at /docs', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/docs`);
    await page.getByText('GovShare API').first().waitFor({ timeout: 20_000 });
    await page.getByText('/api/v1/auth/login').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/docs.png`, fullPage: false });
    const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/orgs']));
    await page.close();
  });
});
