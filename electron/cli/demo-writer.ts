import pg from 'pg';

/** A running {@link startDemoWriter}. */
export interface DemoWriter {
  /** Rows committed since the writer started. */
  readonly committed: number;
  stop(): Promise<void>;
}

/**
 * The demo's "application": one row a second into `demo_activity` of the chinook database,
 * each with its commit time, so the timeline's coverage grows while a newcomer watches and a
 * restore to a chosen second shows exactly the rows up to it. A failed insert (PostgreSQL
 * restarting) is retried on the next tick with a fresh connection.
 */
export async function startDemoWriter(port: number, database = 'chinook'): Promise<DemoWriter> {
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  let client: pg.Client | null = await connect();
  await client.query(
    `CREATE TABLE IF NOT EXISTS demo_activity (
       id bigserial PRIMARY KEY,
       committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
       note text NOT NULL)`,
  );
  let committed = 0;
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  const tick = async (): Promise<void> => {
    try {
      client ??= await connect();
      await client.query('INSERT INTO demo_activity (note) VALUES ($1)', [
        `order ${committed + 1}`,
      ]);
      committed += 1;
    } catch {
      await client?.end().catch(() => undefined);
      client = null;
    }
  };
  const timer = setInterval(() => {
    if (!stopped) busy = busy.then(tick);
  }, 1_000);
  return {
    get committed() {
      return committed;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
      await client?.end().catch(() => undefined);
    },
  };
}
