import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root.js';

const BIN = join(packageRoot(), 'bin', 'goldrun.js');

export interface Cli {
  child: ChildProcess;
  output(): string;
  done: Promise<number | null>;
}

/** Starts `goldrun <args>`; `ready` resolves once its output contains `readyText` (when given). */
export function startGoldrun(args: string[], env: NodeJS.ProcessEnv, readyText?: string): Cli & { ready: Promise<void> } {
  // e.g. GOLDRUN_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile every goldrun process.
  const nodeArgs = (process.env.GOLDRUN_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let resolveReady: () => void = () => {};
  let rejectReady: (err: Error) => void = () => {};
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const onData = (d: Buffer) => {
    output += d.toString();
    if (readyText && output.includes(readyText)) resolveReady();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const done = new Promise<number | null>((res) => child.on('close', (code) => {
    rejectReady(new Error(`goldrun ${args.join(' ')} exited with ${code} before it was ready:\n${output.slice(-2000)}`));
    res(code);
  }));
  if (!readyText) resolveReady();
  return { child, output: () => output, done, ready };
}

/**
 * Peak resident memory per process, read from /proc (VmHWM is the kernel's high-water mark,
 * so sampling only has to catch each process before it exits).
 */
export class PeakMemory {
  private readonly peaks = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  watch(pids: () => Array<number | undefined>, everyMs = 250): void {
    this.timer = setInterval(() => this.sample(pids()), everyMs);
  }

  sample(pids: Array<number | undefined>): void {
    for (const pid of pids) {
      if (pid === undefined) continue;
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, kb));
      } catch {
        // The process has exited; its last sample stands.
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The largest process's peak, in MiB. */
  largestMb(): number {
    return Math.round(Math.max(0, ...this.peaks.values()) / 1024);
  }
}
