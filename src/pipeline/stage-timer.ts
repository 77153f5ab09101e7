/**
 * Times a pipeline stage and samples the process's resident memory while it runs, so a
 * run can say how long each stage took and how much memory it peaked at.
 */
export interface StageStats {
  stage: string;
  ms: number;
  rows: number;
  peakRssMb: number;
}

export async function timeStage<T>(
  stage: string,
  work: () => Promise<T>,
  rowsOf: (r: T) => number = () => 0,
): Promise<{ result: T; stats: StageStats }> {
  const t0 = performance.now();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      result,
      stats: {
        stage,
        ms: Math.round(performance.now() - t0),
        rows: rowsOf(result),
        peakRssMb: Math.round(peak / 2 ** 20),
      },
    };
  } finally {
    clearInterval(timer);
  }
}
