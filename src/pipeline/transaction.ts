import type { Sql, TransactionSql } from 'postgres';

/** Errors that mean the transaction's connection is gone, not that a statement failed. */
const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

function connectionLost(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown } | null;
  return (typeof e?.code === 'string' && CONNECTION_LOST.has(e.code)) || e?.severity === 'FATAL' || e?.severity === 'PANIC';
}

/** A fresh one each time: a shared promise would keep every stopped callback alive. */
const never = () => new Promise<never>(() => {});

/**
 * `sql.begin`, safe when Postgres drops the connection mid-transaction (a restart, a
 * failover, pg_terminate_backend). postgres.js 3.4 rejects the transaction at once then,
 * but the callback runs on: its next query, or postgres.js' own rollback after a failed
 * one, is written to the dead socket and kills the process with an uncaught TypeError,
 * or, once the pool has reconnected that connection, runs outside any transaction
 * (porsager/postgres#1208, #1216). So from that moment the callback's queries never
 * settle: it stops where it is and is garbage collected, and the caller gets the
 * connection error to retry on. Queries, `unsafe` ones too, are awaited as plain promises
 * here (no .values(), .cursor() or query fragments).
 */
export function transaction<T>(sql: Sql, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  let over = false;
  const guard = (query: () => Promise<unknown>): Promise<unknown> => {
    if (over) return never();
    return query().then(
      (rows) => rows,
      (err) => {
        if (!connectionLost(err)) throw err;
        over = true;
        return never();
      },
    );
  };
  const result = sql.begin((tx) => {
    const guarded = new Proxy(tx, {
      apply(target, self, args: unknown[]) {
        const tagged = Array.isArray(args[0]) && 'raw' in args[0];
        if (!tagged) return Reflect.apply(target, self, args);
        return guard(() => Reflect.apply(target, self, args) as Promise<unknown>);
      },
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'unsafe' || typeof value !== 'function') return value;
        return (...args: unknown[]) => guard(() => Reflect.apply(value, target, args) as Promise<unknown>);
      },
    });
    return fn(guarded);
  }) as Promise<T>;
  result.catch(() => (over = true));
  return result;
}
