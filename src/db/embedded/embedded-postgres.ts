import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { GoldrunError } from '../../errors.js';
import { startProtocolMux } from './protocol-mux.js';

export interface EmbeddedPostgres {
  url: string;
  /** Where the data lives, or 'memory'. */
  location: string;
  stop(): Promise<void>;
}

/** Schema BullMQ's PostgreSQL backend uses; goldrun's own tables stay in public. */
export const EMBEDDED_QUEUE_SCHEMA = 'bullmq';

/**
 * Starts PGlite (Postgres compiled to WebAssembly, in this process) behind a local
 * wire-protocol server, so the same postgres.js and BullMQ code runs against it.
 * `dataDir: 'memory'` keeps nothing on disk.
 */
export async function startEmbeddedPostgres(options: { dataDir: string }): Promise<EmbeddedPostgres> {
  const memory = options.dataDir === 'memory';
  const dir = memory ? undefined : resolve(options.dataDir, 'pgdata');
  const unlock = dir ? lock(dir) : () => {};
  try {
    const db = await PGlite.create(dir ? { dataDir: dir } : {});
    // Connections share PGlite's one session, and BullMQ's startup option that would pin
    // its search_path is not applied by PGlite, so the session gets both schemas up front.
    await db.exec(`SET search_path TO ${EMBEDDED_QUEUE_SCHEMA}, public`);
    const mux = await startProtocolMux(db);
    return {
      url: mux.url,
      location: dir ?? 'memory',
      stop: async () => {
        await mux.close();
        await db.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

/** PGlite's files must not be opened by two processes at once. */
function lock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '..', 'goldrun.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8'));
      if (pid && isAlive(pid)) {
        throw new GoldrunError(
          `the embedded database in ${dir} is in use by process ${pid}; set DATABASE_URL to share a real Postgres between processes`,
          { retryable: false },
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new GoldrunError(`cannot lock the embedded database in ${dir}`, { retryable: false });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
