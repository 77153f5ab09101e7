import type { LandingProbe } from './landing-probe.ts';

export interface LandingWatcherOptions {
  landing: Pick<LandingProbe, 'snapshot'>;
  /** How often the folder is listed, in ms. */
  intervalMs: number;
  /** The folder must stay unchanged (no file added, grown or touched) this long, in ms. */
  settleMs: number;
  /** Called once the folder has settled after a change (and once at start). */
  onSettled: () => Promise<void> | void;
  onError?: (err: unknown) => void;
}

/**
 * Watches a landing zone by listing it (which works on every file system, network
 * mounts and S3 included, where change notifications do not): when files appear or change, it
 * waits until the listing has stayed the same for `settleMs`, so a file still being
 * copied is not picked up half-written, then calls `onSettled` once for the whole burst.
 * Names ending in .tmp/.part are never listed (discoverLanding's convention).
 */
export class LandingWatcher {
  private timer: NodeJS.Timeout | undefined;
  private signature: string | undefined;
  private changedAt = 0;
  private pending = true;
  private stopped = false;

  constructor(private readonly opts: LandingWatcherOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), ms);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const signature = await this.opts.landing.snapshot();
      const now = Date.now();
      if (signature !== this.signature) {
        this.signature = signature;
        this.changedAt = now;
        this.pending = true;
      } else if (this.pending && now - this.changedAt >= this.opts.settleMs) {
        this.pending = false;
        await this.opts.onSettled();
      }
    } catch (err) {
      this.opts.onError?.(err);
    }
    this.schedule(this.opts.intervalMs);
  }
}
