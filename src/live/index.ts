export { LiveEvents } from './live-events.ts';
export type { LiveRefresh } from './live-events.ts';
export {
  applyLiveOverlay,
  attachWarehouse,
  readLiveManifest,
  writeLiveManifest,
  liveFiles,
  appliesTo,
} from './live-overlay.ts';
export type { LiveManifest } from './live-overlay.ts';
export type { LiveChange, LiveMirror, LiveSync } from './live-mirror.ts';
export { CollectorConfigSchema } from './collector-config.ts';
export type { CollectorConfig } from './collector-config.ts';
export { startStreaming } from './start-streaming.ts';
export type { Streaming, StreamingOptions } from './start-streaming.ts';
export type { StreamObserver } from './stream-observer.ts';
