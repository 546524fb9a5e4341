import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every mainstream Linux). */
const TICKS_PER_SECOND = 100;

/**
 * Peak resident memory (VmHWM, the high-water mark from /proc/<pid>/status) and CPU time used so far (user +
 * system, from /proc/<pid>/stat) of a running child process, sampled until it exits: the last sample is taken
 * at most `everyMs` before the exit. Undefined off Linux.
 */
export function watchProcess(pid: number, everyMs = 100): { stop(): { peakRssBytes?: number; cpuMs?: number } } {
  let peakKb: number | undefined;
  let cpuTicks: number | undefined;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]));
      // fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process has exited; keep the last sample
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return {
        ...(peakKb !== undefined && { peakRssBytes: peakKb * 1024 }),
        ...(cpuTicks !== undefined && { cpuMs: (cpuTicks * 1000) / TICKS_PER_SECOND }),
      };
    },
  };
}
