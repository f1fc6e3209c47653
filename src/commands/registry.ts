/**
 * Every subcommand, declared once: name and one-line summary for `phantom --help`, and a loader so only
 * the command being run is imported (start-up stays fast).
 */
import type { Command } from 'commander';

export interface CommandModule {
  /** Adds the command's options, help text and action to `cmd`. */
  define(cmd: Command): void;
}

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'generate', summary: 'synthetic labelled sessions from behaviour profiles', load: () => import('./generate.js') },
  { name: 'kernels', summary: 'Markov transition kernels per class, KL/JS divergences, split-half null', load: () => import('./kernels.js') },
  { name: 'clusters', summary: 'unsupervised session clusters: mixture of Markov chains by EM, k by BIC, per-session posteriors', load: () => import('./clusters.js') },
  { name: 'separability', summary: 'per-session gap scores and a Mann–Whitney U test of human vs agent', load: () => import('./separability.js') },
  { name: 'simulate', summary: 'contaminated dynamic-pricing market: policies × agent share α × seeds', load: () => import('./simulate.js') },
  { name: 'auction', summary: 'retargeting ad-auction market: rule and learning bidders × mechanism × agent share α × seeds', load: () => import('./auction.js') },
  { name: 'export', summary: 'Kafka, Supabase/Postgres or files → events.parquet (+ price-logs.parquet), streaming, resumable', load: () => import('./export.js') },
  { name: 'features', summary: 'session feature matrix (sessions.parquet) from events', load: () => import('./features.js') },
  { name: 'serve', summary: 'online agent scoring and pricing over HTTP (LinUCB feedback, Redis-shared state)', load: () => import('./serve.js') },
  { name: 'train-classifier', summary: 'gradient-boosted agent classifier: CV metrics, leakage audit, XGBoost JSON model', load: () => import('./train-classifier.js') },
  { name: 'evaluate', summary: 'classifier metrics on labelled sessions, ROC/PR/calibration figures', load: () => import('./evaluate.js') },
  { name: 'predict', summary: 'score sessions with a classifier (phantom or xgboost JSON model)', load: () => import('./predict.js') },
  { name: 'distill', summary: 'the classifier as readable pricing rules: teacher markup → CART student, fidelity, revenue impact', load: () => import('./distill.js') },
  { name: 'pipeline', summary: 'everything on one config: export → features → kernels → separability → classifier → distill → report.html, with CI gates', load: () => import('./pipeline.js') },
];
