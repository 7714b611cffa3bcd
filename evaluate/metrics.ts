/** Precision, recall and calibration of predicted pairs against labelled ones: pure. */

export interface PredictedPair {
  key: string;
  probability: number;
}

export interface CalibrationBin {
  from: number;
  to: number;
  pairs: number;
  meanProbability: number;
  observedPrecision: number;
}

export interface Evaluation {
  predicted: number;
  truePairs: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
  calibration: CalibrationBin[];
  /** Pair-weighted mean |predicted - observed| over the bins, in probability units. */
  meanCalibrationError: number;
}

/** Most pairs sit near 1: the bins are fine there, where a calibration error would hide. */
export const BIN_EDGES = [0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1];

export function evaluatePairs(predicted: readonly PredictedPair[], truth: ReadonlySet<string>): Evaluation {
  const tp = predicted.filter((p) => truth.has(p.key)).length;
  const precision = predicted.length ? tp / predicted.length : 0;
  const recall = truth.size ? tp / truth.size : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const calibration: CalibrationBin[] = [];
  for (let i = 0; i < BIN_EDGES.length - 1; i++) {
    const from = BIN_EDGES[i];
    const to = BIN_EDGES[i + 1];
    const last = i === BIN_EDGES.length - 2;
    const inBin = predicted.filter((p) => p.probability >= from && (last ? p.probability <= to : p.probability < to));
    if (inBin.length === 0) continue;
    calibration.push({
      from,
      to,
      pairs: inBin.length,
      meanProbability: inBin.reduce((s, p) => s + p.probability, 0) / inBin.length,
      observedPrecision: inBin.filter((p) => truth.has(p.key)).length / inBin.length,
    });
  }
  const meanCalibrationError = predicted.length
    ? calibration.reduce((s, b) => s + b.pairs * Math.abs(b.meanProbability - b.observedPrecision), 0) / predicted.length
    : 0;
  return { predicted: predicted.length, truePairs: truth.size, truePositives: tp, precision, recall, f1, calibration, meanCalibrationError };
}
