/**
 * How a task is retried: an immutable value, and its delay a pure function of the attempt,
 * so a schedule of retries can be tested without waiting for it.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 means no retry. */
  readonly maxAttempts: number;
  /** Delay before the second attempt. */
  readonly initialDelayMs: number;
  /** Each further delay is the previous one times this. */
  readonly multiplier: number;
  /** No delay grows past this. */
  readonly maxDelayMs: number;
  /**
   * Share of the delay drawn at random (0 = none, 1 = "full jitter"), so that many tasks
   * failing together do not retry in lockstep.
   */
  readonly jitter: number;
}

export const NO_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 1,
  initialDelayMs: 0,
  multiplier: 1,
  maxDelayMs: 0,
  jitter: 0,
});

export function retryPolicy(p: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { maxAttempts: 3, initialDelayMs: 1000, multiplier: 2, maxDelayMs: 60_000, jitter: 0.2, ...p };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new RangeError(`maxAttempts must be a whole number >= 1, got ${policy.maxAttempts}`);
  if (policy.initialDelayMs < 0 || policy.maxDelayMs < 0 || policy.multiplier < 1)
    throw new RangeError('delays must be >= 0 and multiplier >= 1');
  if (policy.jitter < 0 || policy.jitter > 1)
    throw new RangeError(`jitter must be between 0 and 1, got ${policy.jitter}`);
  return Object.freeze(policy);
}

/**
 * Milliseconds to wait after failed attempt `attempt` (1-based) before the next one:
 * initialDelay × multiplier^(attempt-1), capped, of which a `jitter` share is scaled by
 * `random` (a number in [0, 1), Math.random by default).
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: number = Math.random()): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - policy.jitter) + base * policy.jitter * random);
}

/** Whether a task that failed on `attempt` gets another one. */
export function canRetry(policy: RetryPolicy, attempt: number): boolean {
  return attempt < policy.maxAttempts;
}
