/**
 * The values of `promises` once every one has settled, or the first rejection (in the
 * given order) once every one has: nothing is left running behind a thrown error, so the
 * caller may close what they share (a pool, a scratch folder).
 */
export async function settleAll<T>(promises: Iterable<Promise<T>>): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
}
