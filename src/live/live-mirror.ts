import type { LiveManifest } from './live-overlay.ts';

/** One refresh of the overlay, as a mirror of it in another warehouse copies it. */
export interface LiveChange {
  liveDir: string;
  manifest: LiveManifest;
  /** The facts file this refresh added (absent when it added none). */
  addedFacts?: string | undefined;
  /** The manifest's facts are not the last change's plus `addedFacts` (a new generation took over): copy them all. */
  whole?: boolean;
}

export type LiveSync = 'full' | 'incremental' | 'waiting';

/**
 * A copy of the overlay kept in another warehouse (PostgreSQL's `<schema>_live`), in step
 * with the one on disk. The engine that holds it implements this; the speed layer only calls it.
 */
export interface LiveMirror {
  /** It missed a change (its server was away): the next refresh sends the whole overlay. */
  readonly behind: boolean;
  apply(change: LiveChange): Promise<LiveSync>;
  close(): Promise<void>;
}
