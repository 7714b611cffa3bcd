import fs from 'node:fs';
import path from 'node:path';
import { evaluateAgainstTruth } from '../evaluate/truth';
import { InputError, JSON_OPTION, requiredOpt, type Command } from './command';
import { openEnvironment } from './environment';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'precision, recall, F1 and calibration of the published matches against labelled pairs',
  help: `usage: journey evaluate --truth FILE [--json]

Compares the matched rows of mart.user_journey with the true pairs of FILE (the truth.csv that
\`journey generate\` writes beside its data: conversion_id,broker_file,broker_line; broker files
are found by content, wherever they were delivered from). Prints precision, recall, F1 and a
calibration table: predicted probability bins against the precision observed in them.`,
  options: { truth: { type: 'string' }, ...JSON_OPTION },
  async run(values, io) {
    const truth = path.resolve(requiredOpt(values, 'truth'));
    if (!fs.existsSync(truth)) throw new InputError(`${truth} line 0: file not found`);
    const env = await openEnvironment({ temporal: false, log: io.progress });
    try {
      const e = await evaluateAgainstTruth(env.pool, truth);
      if (io.json) io.out(JSON.stringify(e));
      else {
        io.out(`pairs       ${e.predicted} published, ${e.truePairs} true (${e.unresolved} not loaded), ${e.truePositives} correct`);
        io.out(`precision   ${pct(e.precision)}   recall ${pct(e.recall)}   F1 ${pct(e.f1)}`);
        io.out(`calibration mean error ${pct(e.meanCalibrationError)}`);
        for (const b of e.calibration) {
          io.out(`  p in [${b.from.toFixed(3)}, ${b.to.toFixed(3)}]  ${String(b.pairs).padStart(7)} pairs  predicted ${pct(b.meanProbability)}  observed ${pct(b.observedPrecision)}`);
        }
      }
      return 0;
    } finally {
      await env.close();
    }
  },
};
