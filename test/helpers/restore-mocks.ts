import { afterEach, vi } from 'vitest';

/**
 * The suite runs with `isolate: false` (vitest.config.ts): test files share one module graph per worker. Vitest's
 * `restoreMocks` undoes spies before each test, so a spy made in one file's last test would still be active while
 * the next file is imported and runs its `beforeAll`; undoing them after every test too closes that gap.
 */
afterEach(() => {
  vi.restoreAllMocks();
});
