import type { DeadLetterQueue } from '../ingest/index.ts';
import type { Orchestrator } from './orchestrator.ts';
import type { DagRunRecord } from '../dag/index.ts';

/**
 * Marks dead letters for another try and queues the daily run that makes it (type
 * `replay`). The ledger still decides what is ingested, so nothing goes in twice; a letter
 * that fails again is dead again with its attempts added up.
 */
export async function replayDeadLetters(
  orchestrator: Orchestrator,
  dlq: DeadLetterQueue,
  ids: readonly string[] | 'all',
): Promise<{ ids: string[]; run: DagRunRecord | undefined }> {
  const marked = await dlq.requestReplay(ids);
  if (marked.length === 0) return { ids: marked, run: undefined };
  const run = await orchestrator.trigger('daily', { runType: 'replay', conf: { deadLetters: marked } });
  return { ids: marked, run };
}
