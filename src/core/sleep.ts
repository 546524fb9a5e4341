/** Waits `ms` on a real timer. Injected where code waits, so tests can pass a fake clock instead. */
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
