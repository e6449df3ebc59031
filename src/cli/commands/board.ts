import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { serve } from '@hono/node-server';
import type { Queue } from 'bullmq';
import { createBoardApp } from '../../board/server.js';
import { hashPassword } from '../../board/passwords.js';
import { loadBoardUsers } from '../../board/users.js';
import { createLogger } from '../../logger.js';
import { openServices } from '../../services.js';
import { writeLine, type CommandIo } from '../io.js';

export interface BoardCommandOptions {
  port: number;
  host: string;
  users?: string;
}

/** Serves the board until SIGTERM or SIGINT. */
export async function boardCommand(options: BoardCommandOptions, io: CommandIo): Promise<number> {
  const log = createLogger({ level: io.env.logLevel });
  const users = await loadBoardUsers({ file: options.users, fromEnv: io.env.board.users });
  if (!io.env.board.secret) log.warn('GOLDRUN_BOARD_SECRET is not set: sessions end when the board restarts');
  const services = await openServices({ env: io.env, log });
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = services.queues.queue(name)));
    return q;
  };
  const app = createBoardApp({
    database: services.database, queue, log, users,
    secret: io.env.board.secret, metricsToken: io.env.board.metricsToken, secureCookies: io.env.board.secureCookies,
  });
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host });
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log.info({ listen: `http://${options.host}:${port}/`, users: users.length, queues: services.queues.description }, 'board ready');
  await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all([...queues.values()].map((q) => q.close()));
  await services.close();
  return 0;
}

/** Reads a password from the first line of standard input and prints its hash for GOLDRUN_BOARD_USERS. */
export async function hashPasswordCommand(io: CommandIo, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  if ((input as { isTTY?: boolean }).isTTY) io.stderr.write('password (at least 12 characters), then Enter: ');
  const lines = createInterface({ input, terminal: false });
  const [password] = await Promise.race([once(lines, 'line'), once(lines, 'close').then(() => [''])]) as [string];
  lines.close();
  writeLine(io.stdout, await hashPassword(password.replace(/\r$/, '')));
  return 0;
}
