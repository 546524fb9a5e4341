import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files at once. Vitest's default is one less than the cores — one file at a time on a 2-core machine —
 * but most of a file's time is spent waiting: on the CLI processes it starts, on the simulator's replies and
 * provisioning delays. Two files per core keep both cores busy (the suite ran ~2× faster on 2 cores); no
 * test depends on wall-clock timing, so running beside others changes nothing but its duration.
 * PCSYNC_TEST_WORKERS overrides (e.g. 1 to run one file at a time).
 */
const workers = Number(process.env.PCSYNC_TEST_WORKERS) || Math.max(2, availableParallelism() * 2);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: workers,
    // One module graph per worker, not per test file: importing src/ and the simulator again for each of ~190 files
    // was ~90 s of the suite's CPU. Test files share no mutable module state (each starts its own simulator and
    // state directories); spies are undone before and after every test (restoreMocks, helpers/restore-mocks.ts), so
    // none leaks into the next file's imports or beforeAll.
    isolate: false,
    restoreMocks: true,
    setupFiles: ['test/helpers/restore-mocks.ts'],
  },
});
