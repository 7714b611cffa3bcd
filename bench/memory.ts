import fs from 'node:fs';

export const MIB = 1024 * 1024;

/** A `Vm*` figure of /proc/<pid>/status in bytes, or null once the process is gone. */
export function procStatusBytes(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : null;
}

/**
 * Keeps the highest VmHWM seen for a process. VmHWM is the kernel's own peak, so a 200 ms poll
 * misses nothing that happened before the last read; polling at all is for a process that dies
 * (killed for memory): its last figure is then the best there is.
 */
export class PeakRss {
  peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 200);
    this.timer.unref();
    this.sample();
  }

  sample(): number {
    this.peak = Math.max(this.peak, procStatusBytes(this.pid, 'VmHWM') ?? 0);
    return this.peak;
  }

  stop(): number {
    clearInterval(this.timer);
    return this.sample();
  }
}
