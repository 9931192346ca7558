import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setupBackend.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // TF.js keeps one engine per process; forks isolate test files from each other.
    pool: 'forks',
  },
});
