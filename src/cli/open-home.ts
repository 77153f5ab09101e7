import { DuckSession } from '../duck/index.ts';
import { TerminalError, TransientError, errorMessage } from '../errors/index.ts';
import { LakeLayout, pathExists } from '../lake/index.ts';
import { readHolder, runStoreOf } from '../home/index.ts';
import { type RunStore } from '../dag/index.ts';
import type { ShoplakeConfig } from '../config/index.ts';
import { PostgresStateDb } from '../engines/postgres/index.ts';
import { type StateDb } from '../state/index.ts';

/**
 * Opens a home's state or warehouse database for reading. A missing file means nothing
 * has run yet; a locked one means a run owns it right now.
 */
export async function openForReading(home: string, which: 'state' | 'warehouse'): Promise<DuckSession> {
  const layout = new LakeLayout(home);
  const path = which === 'state' ? layout.stateDb : layout.warehouseDb;
  if (!(await pathExists(path))) {
    throw new TerminalError('home_empty', `no ${which} database in ${home}: nothing has run there yet`, {
      subject: path,
      hint: `run \`shoplake run --home ${home}\` first`,
    });
  }
  try {
    return await DuckSession.open(path, { readOnly: true });
  } catch (err) {
    if (/lock/i.test(errorMessage(err))) {
      const holder = await readHolder(layout.lockFile);
      throw new TransientError(
        'home_busy',
        `${path} is in use${holder ? ` by pid ${holder.pid} (${holder.purpose})` : ''}`,
        {
          subject: path,
          hint: 'wait for the run to finish and try again',
        },
      );
    }
    throw err;
  }
}

/**
 * The state store the config names, for one command: the home's state file opened
 * read-only, or PostgreSQL; with the run history kept in it.
 */
export async function withStateDb<T>(
  config: ShoplakeConfig,
  work: (state: StateDb, runs: RunStore) => Promise<T>,
): Promise<T> {
  const state: PostgresStateDb | DuckSession =
    config.state.url !== 'duckdb'
      ? await PostgresStateDb.connect(config.state.url)
      : await openForReading(config.home, 'state');
  try {
    return await work(state, runStoreOf(state));
  } finally {
    await state.close();
  }
}

/** The run history the config names, for one command. */
export function withRunHistory<T>(config: ShoplakeConfig, work: (store: RunStore) => Promise<T>): Promise<T> {
  return withStateDb(config, (_state, runs) => work(runs));
}
