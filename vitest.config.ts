import { defineConfig } from 'vitest/config';

/**
 * Two projects: every test on the reference cpu backend, and the numerical core again on wasm
 * (the fast Node backend), so that both backends are held to the same tolerances.
 */
const shared = {
  testTimeout: 120_000,
  hookTimeout: 120_000,
  setupFiles: ['test/support/setupBackend.ts'],
  // TF.js keeps one engine per process; forks isolate test files from each other.
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'cpu', include: ['test/**/*.test.ts'], env: { TFJS_BACKEND: 'cpu' } } },
      {
        test: {
          ...shared,
          name: 'wasm',
          include: ['test/operators.test.ts', 'test/fixedPoint.test.ts', 'test/solvers.test.ts', 'test/backendAgreement.test.ts'],
          env: { TFJS_BACKEND: 'wasm' },
        },
      },
    ],
  },
});
