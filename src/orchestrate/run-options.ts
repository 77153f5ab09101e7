import type { ProgressSink } from './progress-event.ts';

export interface RunOptions {
  home: string;
  landing: string;
  fullRefresh?: boolean;
  memoryLimit?: string;
  threads?: number;
  progress?: ProgressSink;
  /** The day the run processes (YYYY-MM-DD, UTC); today when not given. */
  logicalDate?: string;
}
