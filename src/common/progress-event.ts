/**
 * Progress of a long step, as every stage reports it; the terminal renders it as a line
 * and the web app (later) as a bar. `rows` and `bytes` are cumulative.
 */
export interface ProgressEvent {
  stage: string;
  done: number;
  total: number;
  unit: 'files' | 'models' | 'tables' | 'tests' | 'hours';
  rows?: number;
  bytes?: number;
  totalBytes?: number;
  elapsedMs: number;
  item?: string;
}

export type ProgressSink = (e: ProgressEvent) => void;
