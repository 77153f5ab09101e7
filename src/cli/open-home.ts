import { access } from 'node:fs/promises';
import { DuckSession } from '../duck/index.ts';
import { TerminalError, TransientError, errorMessage } from '../errors/index.ts';
import { LakeLayout } from '../lake/index.ts';
import { DuckdbRunStore, PostgresRunStore, readHolder, type RunStore } from '../orchestrate/index.ts';
import type { ShoplakeConfig } from '../config/index.ts';

/**
 * Opens a home's state or warehouse database for reading. A missing file means nothing
 * has run yet; a locked one means a run owns it right now.
 */
export async function openForReading(home: string, which: 'state' | 'warehouse'): Promise<DuckSession> {
  const layout = new LakeLayout(home);
  const path = which === 'state' ? layout.stateDb : layout.warehouseDb;
  if (!(await access(path).then(() => true, () => false))) {
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
      throw new TransientError('home_busy', `${path} is in use${holder ? ` by pid ${holder.pid} (${holder.purpose})` : ''}`, {
        subject: path,
        hint: 'wait for the run to finish and try again',
      });
    }
    throw err;
  }
}

/** The run history the config names (the home's state file, read-only, or PostgreSQL), for one command. */
export async function withRunHistory<T>(config: ShoplakeConfig, work: (store: RunStore) => Promise<T>): Promise<T> {
  if (config.state.url !== 'duckdb') {
    const store = await PostgresRunStore.connect(config.state.url);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }
  const state = await openForReading(config.home, 'state');
  try {
    return await work(new DuckdbRunStore(state));
  } finally {
    await state.close();
  }
}
