import { readdirSync, readFileSync } from 'node:fs';

/** Cumulative CPU seconds at one moment: goldrun's processes, Postgres', and the machine's idle. */
export interface CpuSample {
  /** Date.now() when taken. */
  atMs: number;
  goldrun: number;
  postgres: number;
  /** Core-seconds the machine spent idle (idle and iowait of /proc/stat). */
  idle: number;
  /** Core-seconds the hypervisor gave to others (steal of /proc/stat): a slow VM shows here. */
  steal: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux a Node runs on.

/**
 * Samples, on Linux, how much CPU goldrun's processes and Postgres used and how long the
 * cores sat idle, so that the bench can say per stage who kept the cores busy and how many
 * core-seconds went unused (`--cpu`). Postgres is every process named `postgres`, with the
 * time of its exited children (a backend's time moves to the postmaster when it is reaped).
 */
export class CpuUse {
  readonly samples: CpuSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Each goldrun process's seconds when last read: one that exits (the run command) keeps its share. */
  private readonly goldrunSeen = new Map<number, number>();

  constructor(private readonly goldrunPids: () => Array<number | undefined>) {}

  watch(everyMs = 250): void {
    this.sample();
    // A bench that fails before stop() must still exit.
    this.timer = setInterval(() => this.sample(), everyMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
  }

  sample(): void {
    const atMs = Date.now();
    for (const pid of this.goldrunPids()) {
      const seconds = pid === undefined ? null : processSeconds(pid);
      if (seconds !== null) this.goldrunSeen.set(pid!, seconds);
    }
    let goldrun = 0;
    for (const seconds of this.goldrunSeen.values()) goldrun += seconds;
    let postgres = 0;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const stat = readStat(Number(name));
      if (stat?.command === 'postgres') postgres += stat.seconds + stat.childSeconds;
    }
    this.samples.push({ atMs, goldrun, postgres, ...machineSeconds() });
  }
}

/** A process's CPU seconds (all its threads); null once it is gone. */
function processSeconds(pid: number): number | null {
  return readStat(pid)?.seconds ?? null;
}

function readStat(pid: number): { command: string; seconds: number; childSeconds: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command sits in parentheses and may itself hold spaces and parentheses: the last ')' ends it.
  const close = text.lastIndexOf(')');
  const command = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are 11-14 after the command.
  const ticks = (k: number) => Number(fields[k]);
  return { command, seconds: (ticks(11) + ticks(12)) / TICKS_PER_SECOND, childSeconds: (ticks(13) + ticks(14)) / TICKS_PER_SECOND };
}

function machineSeconds(): { idle: number; steal: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  // "cpu user nice system idle iowait irq softirq steal …", summed over every core.
  return { idle: (Number(cpu[4]) + Number(cpu[5])) / TICKS_PER_SECOND, steal: Number(cpu[8]) / TICKS_PER_SECOND };
}
