import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // onnxruntime-node is a native addon: separate processes are safer than worker threads.
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
