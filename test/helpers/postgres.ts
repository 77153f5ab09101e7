import type { TestContext } from 'node:test';
import pg from 'pg';

/** The PostgreSQL the integration tests use: SHOPLAKE_TEST_POSTGRES_URL, else the machine's own. */
export const POSTGRES_URL = process.env['SHOPLAKE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * True when PostgreSQL answers. When it does not, the test is skipped with the reason,
 * except under CI=true, where a missing service is a failure.
 */
export async function postgresAvailable(t: TestContext): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    const why =
      `PostgreSQL is not reachable at ${POSTGRES_URL} ` +
      `(${(err as Error).message}); set SHOPLAKE_TEST_POSTGRES_URL or start it`;
    if (process.env['CI'] === 'true')
      throw new Error(`${why}. Under CI=true a missing service fails the test.`, { cause: err });
    t.skip(why);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A gold schema name of this test's own, dropped (with its live overlay schema) when the test ends. */
export function tempGoldSchema(t: TestContext, prefix: string): string {
  const schema = `${prefix}${process.pid}`;
  t.after(async () => {
    await dropSchema(schema);
    await dropSchema(`${schema}_live`);
  });
  return schema;
}

/**
 * A PostgreSQL state URL with a schema of its own (`?schema=<prefix><pid>`), whose schema
 * and task-queue schema are dropped when the test ends.
 */
export function tempStateUrl(t: TestContext, prefix: string): string {
  const schema = `${prefix}${process.pid}`;
  t.after(async () => {
    await dropSchema(schema);
    await dropSchema(`${schema}_queue`);
  });
  return `${POSTGRES_URL}?schema=${schema}`;
}
