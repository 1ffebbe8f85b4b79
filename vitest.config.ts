import { defineConfig } from 'vitest/config';

// CI sets GOVSHARE_TEST_REPORT to collect a JSON summary of each run beside the usual output.
const report = process.env.GOVSHARE_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
