import { defineConfig } from 'vitest/config';

const report = process.env.GOVSHARE_TEST_REPORT;

/** Browser tests: the built node served on a free port, driven by playwright-core in Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    testTimeout: 60_000,
    // Starting the node migrates and loads the demo: seconds on a quiet machine, minutes on a loaded one.
    hookTimeout: 330_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
