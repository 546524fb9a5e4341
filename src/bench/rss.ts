import { readFileSync } from 'node:fs';

/**
 * Peak resident memory of a running child process, from Linux's /proc/<pid>/status (VmHWM, the high-water
 * mark). Sampled until the process exits; the last sample is the peak up to then. Undefined off Linux.
 */
export function watchPeakRss(pid: number, everyMs = 100): { stop(): number | undefined } {
  let peakKb: number | undefined;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]));
    } catch {
      // the process has exited; keep the last sample
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peakKb === undefined ? undefined : peakKb * 1024;
    },
  };
}
