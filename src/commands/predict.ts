/**
 * `phantom predict`: score sessions with a classifier — phantom's, or an XGBoost JSON model trained
 * elsewhere whose features the data has by name (docs/classifier.md). Writes scores.parquet / .csv.
 */
import type { Command } from 'commander';
import { readClassifierModel, writeScoresFile } from '../models/classifier/index.js';
import { predictionScores, runPredict, PREDICT_DEFAULTS as D, type PredictOptions } from '../models/classifier/run-predict.js';
import { TRAIN_CLASSIFIER_DEFAULTS } from '../models/classifier/run-train.js';
import { action, info, numberOption, printJson, withGlobalOptions } from './runtime.js';
import { readInputTable } from './train-classifier.js';
import { checkInputs, checkOutputs, MODEL_INPUT, SESSIONS_INPUT } from './input-checks.js';
import { parseArgv } from './parse-argv.js';

/** What one `phantom predict …` asks for: the inputs, the library options, and where and how to render. */
export interface PredictArgs {
  model: string;
  input: string;
  out: string;
  json: boolean;
  quiet: boolean;
  options: PredictOptions;
}

/** The flags of `predict`, defaults from PREDICT_DEFAULTS (none: the threshold falls back to the model's). */
export function declarePredict(cmd: Command): Command {
  return withGlobalOptions(cmd)
    .argument('<model>', 'model.json (phantom train-classifier, or xgboost save_model JSON)')
    .argument('<sessions>', 'sessions.parquet or .csv with the model\'s feature columns (labels not needed)')
    .requiredOption('-o, --out <scores>', 'scores: .parquet or .csv (id columns, probability, predicted)')
    .option('--threshold <p>', `probability at which a row is predicted positive (default: the model's, else ${TRAIN_CLASSIFIER_DEFAULTS.threshold})`, numberOption('--threshold', 0, 1))
    .addHelpText('after', `
Examples:
  $ phantom predict model.json sessions.parquet -o scores.parquet
  $ phantom predict xgb-model.json sessions.csv -o scores.csv --threshold 0.7 --json`);
}

/** Parsed flags → library options. */
export function predictArgs(cmd: Command, model: string, input: string): PredictArgs {
  const f = cmd.opts<{ out: string; threshold?: number; json?: boolean; quiet?: boolean }>();
  return { model, input, out: f.out, json: f.json === true, quiet: f.quiet === true, options: { threshold: f.threshold ?? D.threshold } };
}

/** `phantom predict` argv (after the command name) → its options, without running it. */
export function parsePredictArgs(argv: readonly string[]): PredictArgs {
  return parseArgv('predict', declarePredict, predictArgs, argv);
}

export function define(cmd: Command): void {
  declarePredict(cmd)
    .action(
      action('predict', async (modelPath: string, input: string) => {
        const a = predictArgs(cmd, modelPath, input);
        await checkInputs([modelPath], MODEL_INPUT, "predict's <model> must be");
        await checkInputs([input], SESSIONS_INPUT, "predict's <sessions> must be");
        await checkOutputs({ files: { '-o': a.out } });
        const classifier = await readClassifierModel(modelPath);
        const table = await readInputTable(input);
        const run = runPredict(classifier, table, a.options);
        await writeScoresFile(a.out, predictionScores(run, modelPath));
        const { rows, threshold, predictedPositive: positive } = run;
        const summary = {
          model: modelPath, trainedBy: run.trainedBy, rows, features: run.features, threshold, calibration: run.calibration,
          predictedPositive: positive, meanProbability: run.meanProbability, output: a.out,
        };
        if (a.json) printJson(summary);
        else info(a, `scored ${rows.toLocaleString('en-US')} rows with ${modelPath}: ${positive.toLocaleString('en-US')} at or above ${threshold}; wrote ${a.out}`);
      }),
    );
}
