import { writeFileSync } from 'node:fs';

/**
 * Loaded into a measured CLI process with `node --import` (plan-out.ts): on exit it writes the process's peak
 * resident memory in bytes (`process.resourceUsage().maxRSS`, the kernel's own high-water mark, not a sample) to
 * the file PCSYNC_BENCH_RSS_FILE names.
 */
const file = process.env.PCSYNC_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS * 1024}\n`));
