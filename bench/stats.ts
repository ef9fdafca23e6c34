/**
 * Summaries of repeated runs: the median with its range, and the per-round
 * differences from the bare run that the overhead figures are made of.
 */

/** Median and spread of one quantity over the runs. */
export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function sample(values: readonly number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** `values` minus `baseline`, round by round, summarized (why pair: see ModeFigures); a round without a baseline is NaN. */
export function paired(values: readonly number[], baseline: readonly number[]): Sample {
  return sample(values.map((value, round) => value - (baseline[round] ?? NaN)));
}
