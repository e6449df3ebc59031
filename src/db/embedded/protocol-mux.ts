import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one PGlite instance to many Postgres wire-protocol clients.
 *
 * PGlite is a single session. pglite-socket's own multiplexer interleaves clients message
 * by message, which breaks the extended query protocol (two clients' unnamed Parse/Bind
 * collide) and delivers NOTIFY to whichever client happens to be running. This server
 * instead runs each client's messages in whole groups, up to a Sync or simple Query, keeps
 * the session with one client while it holds a transaction open, and routes notifications
 * to the clients that LISTENed. That is enough for postgres.js, node-postgres and BullMQ's
 * PostgreSQL backend, which all speak plain protocol v3.
 *
 * Not supported: COPY, cancel requests, TLS. Session settings are shared by all clients.
 */
export interface MuxServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

interface Client {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  pending: Buffer[];
  closed: boolean;
}

interface Group {
  client: Client;
  payload: Buffer;
  /** A Flush without Sync: the client's extended-protocol sequence continues. */
  open: boolean;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const QUERY = 0x51; // Q
const PARSE = 0x50; // P
const SYNC = 0x53; // S
const FLUSH = 0x48; // H
const TERMINATE = 0x58; // X
const NOTIFICATION = 0x41; // A

export async function startProtocolMux(db: PGlite, options: { host?: string; port?: number } = {}): Promise<MuxServer> {
  const host = options.host ?? '127.0.0.1';
  const queue: Group[] = [];
  const clients = new Set<Client>();
  const listeners = new Map<string, Set<Client>>();
  let owner: Client | null = null;
  let running = false;

  const pump = async () => {
    if (running) return;
    running = true;
    try {
      while (queue.length > 0) {
        const index = owner ? queue.findIndex((g) => g.client === owner) : 0;
        if (index < 0) break; // the owner's transaction goes on; others wait for its next group
        const group = queue.splice(index, 1)[0]!;
        const chunks: Buffer[] = [];
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(new Uint8Array(group.payload), { onRawData: (d) => chunks.push(Buffer.from(d)) }));
        } catch (err) {
          group.client.socket.destroy(err as Error);
        }
        deliver(group.client, Buffer.concat(chunks));
        owner = group.open || db.isInTransaction() ? group.client : null;
        if (owner?.closed) await release(owner);
      }
    } finally {
      running = false;
    }
  };

  /** A client that vanished inside a transaction must not leave the shared session in it. */
  const release = async (client: Client) => {
    if (owner !== client) return;
    owner = null;
    // exec takes PGlite's query lock itself, so it must not run inside runExclusive.
    if (db.isInTransaction()) await db.exec('ROLLBACK');
  };

  const deliver = (client: Client, out: Buffer) => {
    const keep: Buffer[] = [];
    let i = 0;
    while (i + 5 <= out.length) {
      const end = i + 1 + out.readInt32BE(i + 1);
      const message = out.subarray(i, end);
      if (out[i] === NOTIFICATION) {
        const body = out.subarray(i + 9, end);
        const channel = body.subarray(0, body.indexOf(0)).toString();
        for (const l of listeners.get(channel) ?? []) if (!l.closed) l.socket.write(message);
      } else {
        keep.push(message);
      }
      i = end;
    }
    if (keep.length > 0 && !client.closed) client.socket.write(Buffer.concat(keep));
  };

  const watchListen = (client: Client, text: string) => {
    const query = text.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
    for (const m of query.matchAll(/(?:^|;)\s*(UN)?LISTEN\s+("?)([\w$*]+)\2/gi)) {
      const channel = m[3]!;
      if (m[1]) {
        for (const [name, set] of listeners) if (channel === '*' || name === channel) set.delete(client);
      } else {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(client);
      }
    }
  };

  const onData = (client: Client, data: Buffer) => {
    client.buffer = client.buffer.length > 0 ? Buffer.concat([client.buffer, data]) : data;
    for (;;) {
      if (!client.started) {
        if (client.buffer.length < 8) break;
        const length = client.buffer.readInt32BE(0);
        if (client.buffer.length < length) break;
        const code = client.buffer.readInt32BE(4);
        const message = client.buffer.subarray(0, length);
        client.buffer = client.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          client.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          client.socket.end();
          break;
        }
        client.started = true;
        queue.push({ client, payload: Buffer.from(message), open: false });
        continue;
      }
      if (client.buffer.length < 5) break;
      const type = client.buffer[0]!;
      const length = client.buffer.readInt32BE(1);
      if (client.buffer.length < length + 1) break;
      const message = client.buffer.subarray(0, length + 1);
      client.buffer = client.buffer.subarray(length + 1);
      if (type === TERMINATE) {
        client.socket.end();
        break;
      }
      if (type === QUERY) watchListen(client, message.subarray(5, message.length - 1).toString());
      if (type === PARSE) {
        const body = message.subarray(5);
        const nameEnd = body.indexOf(0);
        watchListen(client, body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString());
      }
      client.pending.push(Buffer.from(message));
      if (type === QUERY || type === SYNC || type === FLUSH) {
        queue.push({ client, payload: Buffer.concat(client.pending), open: type === FLUSH });
        client.pending = [];
      }
    }
    void pump();
  };

  const onClose = (client: Client) => {
    client.closed = true;
    clients.delete(client);
    for (const set of listeners.values()) set.delete(client);
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.client === client) queue.splice(i, 1);
    if (owner === client && !running) void release(client).then(pump);
  };

  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    const client: Client = { socket, buffer: Buffer.alloc(0), started: false, pending: [], closed: false };
    clients.add(client);
    socket.on('data', (d) => onData(client, d));
    socket.on('close', () => onClose(client));
    socket.on('error', () => onClose(client));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `postgres://postgres@${host}:${port}/postgres`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
