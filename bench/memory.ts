import { readFileSync } from 'node:fs';

/**
 * Process memory for the benches. The peak is the kernel's high-water mark of resident memory
 * (VmHWM in /proc/self/status, every thread of the process included), which also catches the
 * peaks a sampler misses while the event loop is busy; `resourceUsage().maxRSS` where there is
 * no /proc.
 */

const MiB = 1024 * 1024;

function statusKiB(field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const line = readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    const kib = line ? Number(/(\d+)\s*kB/.exec(line)?.[1]) : NaN;
    return Number.isFinite(kib) ? kib : null;
  } catch {
    return null;
  }
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

export function memoryNow(): { rssMiB: number; hwmMiB: number } {
  const rss = process.memoryUsage().rss / MiB;
  const hwm = statusKiB('VmHWM');
  return {
    rssMiB: round1(rss),
    hwmMiB: round1(hwm === null ? process.resourceUsage().maxRSS / 1024 : hwm / 1024),
  };
}

/** Samples the resident memory every `everyMs` while the event loop turns; `stop` gives the max. */
export function startRssSampler(everyMs = 10): { stop: () => number } {
  let max = process.memoryUsage().rss;
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage().rss);
  }, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return round1(Math.max(max, process.memoryUsage().rss) / MiB);
    },
  };
}
