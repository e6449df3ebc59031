import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'goldrun.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI process gets: only what the test passes, plus PATH. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/** The timeout stays below vitest's own, so a hung command is killed and reported, not left running. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 50_000, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    child.stdin.end(stdin ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`goldrun ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running CLI process (a worker) and resolves once it logged `readyText`. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, readyText: string): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let output = '';
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes(readyText)) resolve({ child, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`goldrun ${args.join(' ')} exited with ${code}\n${output}`)));
  });
}

export function lastJsonLine(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

/**
 * Migrates a test database and runs a deployment's settings once through the CLI, stages on
 * its own worker, as an operator's first run does; fails the test unless it exits 0.
 * Returns the run's JSON summary.
 */
export async function migrateAndRun(settingsPath: string, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const migrated = await runCli(['migrate'], env);
  if (migrated.code !== 0) throw new Error(`goldrun migrate exited ${migrated.code}: ${migrated.stderr}`);
  const result = await runCli(['run', '--config', settingsPath, '--json', '--worker'], env);
  if (result.code !== 0) throw new Error(`goldrun run exited ${result.code}: ${result.stderr}`);
  return lastJsonLine(result.stdout);
}
