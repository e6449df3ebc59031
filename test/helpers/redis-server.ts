import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface PrivateRedis {
  url: string;
  port: number;
  /** `redis-cli shutdown`: Redis fsyncs its append-only file and exits, as on a clean restart. */
  stop(): Promise<void>;
  /** Starts again on the same port and directory, so it reloads what it had. */
  start(): Promise<void>;
  /** Kills the server, if running, and removes its directory. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A redis-server of the test's own, so the test can stop and restart it without touching
 * the shared one. Persisted as BullMQ needs it in production: every write appended and
 * fsynced, so a restart loses no job state.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'goldrun-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
  let child: ChildProcess | null = null;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let output = '';
      const onData = (d: Buffer) => {
        output += d;
        if (output.includes('Ready to accept connections')) resolve();
      };
      c.stdout!.on('data', onData);
      c.stderr!.on('data', onData);
      c.on('error', reject);
      c.on('exit', (code) => reject(new Error(`redis-server on port ${port} exited with ${code}\n${output}`)));
    });

  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    await promisify(execFile)('redis-cli', ['-p', String(port), 'shutdown']).catch(() => {});
    await exited;
    child = null;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    destroy: async () => {
      const c = child as ChildProcess | null;
      if (c && c.exitCode === null && c.signalCode === null) {
        const exited = once(c, 'exit');
        c.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
