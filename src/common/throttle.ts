/**
 * Calls `fn` at most once per `intervalMs`: a call inside the interval is not lost but
 * deferred to its end (several such calls make one). With `leading: false` a first call
 * waits a whole interval too. `cancel` drops a deferred call.
 */
export function throttle(
  fn: () => void,
  intervalMs: number,
  opts: { leading?: boolean; now?: () => number } = {},
): { call(): void; cancel(): void } {
  const now = opts.now ?? Date.now;
  let last = opts.leading === false ? now() : -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const call = (): void => {
    const wait = last + intervalMs - now();
    if (wait <= 0) {
      last = now();
      fn();
      return;
    }
    timer ??= setTimeout(() => {
      timer = undefined;
      call();
    }, wait);
    timer.unref?.();
  };
  return { call, cancel: () => clearTimeout(timer) };
}
