import type pg from 'pg';
import { ident } from '../../duck/index.ts';
import { createViews, firstValue, liveSchemaOf, lockLiveOverlay } from './postgres-live-overlay.ts';

// A PostgreSQL publish hands the live overlay over to the gold it publishes (postgres-warehouse.ts).

/**
 * The first step of a publish's transaction: takes the overlay's lock and drops its views
 * (they read the gold about to be replaced, and would keep `_publish_info` from being
 * dropped). Returns the run the overlay is laid over when that is the gold being
 * replaced, for `relayLiveOverlay`.
 */
export async function detachLiveOverlay(client: pg.ClientBase, schema: string): Promise<string | undefined> {
  await lockLiveOverlay(client, schema);
  const live = ident(liveSchemaOf(schema));
  const replacedRun = await firstValue<string>(client, `${ident(schema)}._publish_info`, 'run_id');
  const base = await firstValue<string>(client, `${live}.live_state`, 'base_run_id');
  await client.query(`DROP VIEW IF EXISTS ${live}._live_info CASCADE`);
  return base !== undefined && base === replacedRun ? base : undefined;
}

/**
 * The last step of a publish's transaction: an overlay that was laid over the replaced
 * gold (`laidOver`, from `detachLiveOverlay`) is laid over the new one, run `runId`. It
 * holds every event streamed since the replaced gold's build, a superset of what the new
 * one folded in (a published event's streamed copy shows once, by event_id), so PostgreSQL
 * readers keep seeing the stream until the overlay built on the new gold is copied in.
 * Any other overlay is dropped; so is one whose views no longer fit the new gold.
 */
export async function relayLiveOverlay(
  client: pg.ClientBase,
  schema: string,
  laidOver: string | undefined,
  runId: string,
): Promise<boolean> {
  const live = ident(liveSchemaOf(schema));
  if (laidOver !== undefined) {
    await client.query('SAVEPOINT relay_live_overlay');
    try {
      await client.query(`UPDATE ${live}.live_state SET base_run_id = $1`, [runId]);
      await createViews(client, schema);
      await client.query('RELEASE SAVEPOINT relay_live_overlay');
      return true;
    } catch {
      // A column the new gold added or dropped: the next copy lays a new overlay.
      await client.query('ROLLBACK TO SAVEPOINT relay_live_overlay');
    }
  }
  await client.query(`DROP SCHEMA IF EXISTS ${live} CASCADE`);
  return false;
}
