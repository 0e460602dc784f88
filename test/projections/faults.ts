// Fault injection for the PostgreSQL projection: a pool whose connections fail statements at
// chosen moments, either before a statement reaches the database or after it ran (the reply is
// lost, as when a connection drops right after COMMIT).
import type pg from 'pg';

export type Fault = 'none' | 'before' | 'after';

export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/** `pool` with every statement of a checked-out connection passed through `fault()` first. */
export function faultyPool(pool: pg.Pool, fault: (sql: string) => Fault): pg.Pool {
  const connect = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect();
    const query = async (statement: string | { text: string; values?: unknown[] } | pg.Submittable, values?: unknown[]): Promise<unknown> => {
      // A COPY (a query object of its own) is not interrupted; the statements around it are.
      if (typeof statement !== 'string' && 'submit' in statement) return client.query(statement);
      const sql = typeof statement === 'string' ? statement : statement.text;
      const f = fault(sql);
      if (f === 'before') throw new InjectedFault(`before: ${sql.slice(0, 40)}`);
      const result = values === undefined ? await client.query(statement as string) : await client.query(statement as string, values);
      if (f === 'after') throw new InjectedFault(`after: ${sql.slice(0, 40)}`);
      return result;
    };
    return new Proxy(client, { get: (target, key) => (key === 'query' ? query : Reflect.get(target, key, target)) });
  };
  return new Proxy(pool, {
    get: (target, key) => {
      if (key === 'connect') return connect;
      const value: unknown = Reflect.get(target, key, target);
      // pool.query and pool.end use the pool's own connect, not the faulty one.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
