import { defineConfig } from 'vitest/config'

// Benchmarks print their figures (ratios against a baseline measured in the same run); they do
// not fail on timings.
export default defineConfig({
  test: {
    include: ['bench/**/*.measure.ts'],
    environment: 'node',
    setupFiles: ['test/support/temp-cleanup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000
  }
})
