/**
 * `phantom distill`: the classifier as pricing rules a pricing team can read (docs/distill.md). The work is
 * src/distill; this file parses flags, writes rules.json / rules.txt and renders.
 */
import { InvalidArgumentError, type Command } from 'commander';
// the modules themselves, not distill/index.js: the index also exports the purchase booster's fit, whose modules
// a run loads only when it trains that booster
import { DISTILL_DEFAULTS } from '../distill/distill.js';
import { HUMAN_SAFE_DEFAULTS, type HumanSafeOptions } from '../distill/human-safe.js';
import { runDistill, writeRules, type RunDistillOptions } from '../distill/run.js';
import { TEACHER_DEFAULTS } from '../distill/teacher.js';
import { parseTiers, type MarkupTier } from '../distill/tiers.js';
import { UsageError } from '../errors.js';
import { commandLine } from '../io/provenance.js';
import { createProgress } from '../report/progress.js';
import { phantomVersion } from '../models/classifier/model-file.js';
import { action, info, intOption, numberOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, MODEL_INPUT, SESSIONS_INPUT } from './input-checks.js';
import { parseArgv } from './parse-argv.js';
import { tableFormatOption } from './table-format-option.js';

/** What one `phantom distill …` asks for: the library options (runDistill's, without the run's provenance), and where and how to render. */
export interface DistillArgs {
  out: string;
  textOut: string;
  json: boolean;
  quiet: boolean;
  /** the command reads its inputs from files: sessions and model are paths */
  options: Omit<RunDistillOptions, 'command' | 'phantomVersion' | 'onStage' | 'sessions' | 'model'> & { sessions: string; model: string | null };
}

interface DistillFlags extends GlobalOptions {
  out: string;
  textOut?: string;
  purchaseModel?: string;
  targetColumn?: string;
  tiers?: MarkupTier[];
  maxDepth: number;
  minSamplesLeaf: number;
  testSize: number;
  seed: number;
  exclude: string[];
  allowOutcomeColumns: boolean;
  priceColumn?: string;
  agentWeight: number;
  purchaseWeight: number;
  markupBounds: [number, number];
  humanSafe?: HumanSafeOptions | 'off' | true;
}

function listOption(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
}

function tiersOption(value: string): MarkupTier[] {
  try { return parseTiers(value); } catch (err) { throw new InvalidArgumentError((err as Error).message); }
}

function boundsOption(value: string): [number, number] {
  const m = /^([^:]+):([^:]+)$/.exec(value.trim());
  const lo = Number(m?.[1]), hi = Number(m?.[2]);
  if (m === null || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new InvalidArgumentError(`--markup-bounds takes lo:hi with lo <= hi, got "${value}"`);
  return [lo, hi];
}

function humanSafeOption(value: string): HumanSafeOptions | 'off' {
  if (value.trim() === 'off') return 'off';
  const m = /^([^:]+):([^:]+)$/.exec(value.trim());
  const p = Number(m?.[1]), markup = Number(m?.[2]);
  if (m === null || !(p > 0 && p <= 1) || !(markup > 0)) throw new InvalidArgumentError(`--human-safe takes p:markup (0 < p <= 1, markup > 0) or off, got "${value}"`);
  return { maxPAgent: p, maxMarkup: markup };
}

/** rules.json → rules.txt beside it. */
function textPathFor(out: string): string {
  return out.toLowerCase().endsWith('.json') ? `${out.slice(0, -5)}.txt` : `${out}.txt`;
}

/** The flags of `distill`, defaults from DISTILL_DEFAULTS and TEACHER_DEFAULTS. */
export function declareDistill(cmd: Command): Command {
  return tableFormatOption(withGlobalOptions(cmd))
    .argument('<inputs...>', '[model.json] sessions.parquet|.csv — the classifier, then the sessions (only the sessions with --target-column)')
    .requiredOption('-o, --out <rules.json>', 'rules as JSON (leaves, tree, teacher, fidelity, seeds); loadable by phantom serve --rules')
    .option('--text-out <rules.txt>', 'rules as indented IF/THEN text (default: beside --out, .txt)')
    .option('--purchase-model <model.json>', 'p_purchase from this model (default: a booster fitted on the purchased column)')
    .option('--target-column <column>', 'distil this score column instead of the teacher markup (no model needed)')
    .option('--tiers <score:markup,…>', 'classification over markup tiers, e.g. 0.4:1.1,0.7:1.3 (score >= 0.4 pays 1.1, >= 0.7 pays 1.3, else 1)', tiersOption)
    .option('--max-depth <n>', 'depth of the student tree', intOption('--max-depth', 1, 30), DISTILL_DEFAULTS.maxDepth)
    .option('--min-samples-leaf <n>', 'training sessions per leaf at least (the default is scaled down on small data)', intOption('--min-samples-leaf', 1), DISTILL_DEFAULTS.minSamplesLeaf)
    .option('--test-size <share>', 'held-out share of sessions for fidelity (0 = none)', numberOption('--test-size', 0, 0.9), DISTILL_DEFAULTS.testSize)
    .option('-s, --seed <n>', 'random seed (holdout, purchase booster, tie-breaking)', intOption('--seed'), DISTILL_DEFAULTS.seed)
    .option('--exclude <columns>', 'columns the rules may not use (comma-separated, repeatable)', listOption, [])
    .option('--allow-outcome-columns', 'let the rules use purchases / conversion_rate (left out by default: they restate the purchase)', false)
    .option('--price-column <column>', 'price column for the revenue impact (default: avg_price_seen if present)')
    .option('--agent-weight <a>', 'a in markup = clip(1 + a·p_agent − b·p_purchase, lo, hi)', numberOption('--agent-weight'), TEACHER_DEFAULTS.a)
    .option('--purchase-weight <b>', 'b in the markup formula', numberOption('--purchase-weight'), TEACHER_DEFAULTS.b)
    .option('--markup-bounds <lo:hi>', 'clip bounds of the markup', boundsOption, [TEACHER_DEFAULTS.lo, TEACHER_DEFAULTS.hi])
    .option('--human-safe [p:markup|off]', `a session with raw or calibrated p_agent below p pays at most markup: rules that mix such sessions with dearer ones are grown further (docs/distill.md, "Human-safe rules"; default ${HUMAN_SAFE_DEFAULTS.maxPAgent}:${HUMAN_SAFE_DEFAULTS.maxMarkup} whenever model.json gives p_agent and a markup is distilled; off = the plain fitted tree)`, humanSafeOption)
    .addHelpText('after', `
Examples:
  $ phantom distill model.json sessions.parquet -o rules.json
  $ phantom distill model.json sessions.parquet -o rules.json --tiers 0.4:1.1,0.7:1.3 --max-depth 3
  $ phantom distill sessions.parquet --target-column risk_score -o rules.json --json   # risk_score: any numeric column of yours in the sessions table
  $ phantom distill model.json sessions.parquet -o rules.json --purchase-model buy.json --agent-weight 0.4
  $ phantom distill model.json sessions.parquet -o rules.json --human-safe 0.05:1.0
  $ phantom distill model.json sessions.parquet -o rules.json --human-safe off`);
}

/** Parsed flags → library options; refuses a wrong number of inputs and markup flags that do not apply (UsageError). */
export function distillArgs(cmd: Command, inputs: string[]): DistillArgs {
  const flags = cmd.opts<DistillFlags>();
  if (inputs.length > 2) throw new UsageError(`expected [model.json] sessions.parquet, got ${inputs.length} inputs`);
  const [first, second] = inputs;
  if (first === undefined) throw new UsageError('expected [model.json] sessions.parquet, got no input');
  const [model, sessions] = second === undefined ? [null, first] : [first, second];
  const markupDistilled = model !== null && (flags.targetColumn === undefined || flags.tiers !== undefined);
  if (flags.humanSafe !== undefined && flags.humanSafe !== 'off' && !markupDistilled) {
    throw new UsageError('--human-safe bounds the markup a clear human pays: it needs model.json and a markup to distil (not --target-column without --tiers)');
  }
  if (model === null && flags.targetColumn === undefined) throw new UsageError('give the classifier model before the sessions, or distil a score column with --target-column');
  const markupFlags = ['agentWeight', 'purchaseWeight', 'markupBounds', 'purchaseModel'].filter((k) => cmd.getOptionValueSource(k) === 'cli');
  if ((flags.targetColumn !== undefined || flags.tiers !== undefined) && markupFlags.length > 0) {
    throw new UsageError(`--agent-weight, --purchase-weight, --markup-bounds and --purchase-model shape the markup teacher; they do not apply with ${flags.tiers ? '--tiers' : '--target-column'}`);
  }
  return {
    out: flags.out, textOut: flags.textOut ?? textPathFor(flags.out), json: flags.json === true, quiet: flags.quiet === true,
    options: {
      sessions, model, purchaseModel: flags.purchaseModel ?? null, targetColumn: flags.targetColumn ?? null, tiers: flags.tiers ?? null,
      exclude: flags.exclude, allowOutcomeColumns: flags.allowOutcomeColumns, priceColumn: flags.priceColumn ?? null,
      coefficients: { a: flags.agentWeight, b: flags.purchaseWeight, lo: flags.markupBounds[0], hi: flags.markupBounds[1] },
      humanSafe: flags.humanSafe === 'off' || !markupDistilled ? null : flags.humanSafe === undefined || flags.humanSafe === true ? { ...HUMAN_SAFE_DEFAULTS } : flags.humanSafe,
      seed: flags.seed, maxDepth: flags.maxDepth, minSamplesLeaf: flags.minSamplesLeaf, testSize: flags.testSize,
      scaleMinSamplesLeaf: cmd.getOptionValueSource('minSamplesLeaf') !== 'cli',
    },
  };
}

/** `phantom distill` argv (after the command name) → its options, without running it. */
export function parseDistillArgs(argv: readonly string[]): DistillArgs {
  return parseArgv('distill', declareDistill, distillArgs, argv);
}

export function define(cmd: Command): void {
  declareDistill(cmd)
    .action(
      action('distill', async (inputs: string[]) => {
        const flags = distillArgs(cmd, inputs);
        const { out, textOut } = flags;
        const { model, sessions } = flags.options;
        await checkInputs([model], MODEL_INPUT, "distill's model must be");
        await checkInputs([flags.options.purchaseModel], MODEL_INPUT, '--purchase-model must be');
        await checkInputs([sessions], [...SESSIONS_INPUT, 'scores', 'separability-scores'], "distill's sessions must be");
        await checkOutputs({ files: { '-o': out, '--text-out': textOut } });
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const options: RunDistillOptions = { ...flags.options, command: commandLine(), phantomVersion: phantomVersion(), onStage: (stage) => progress.update(stage) };
        const run = await runDistill(options).finally(() => progress.done());
        await writeRules(run, flags.out, textOut);
        for (const w of run.document.warnings) warn(w);
        for (const n of run.document.notes) info(flags, n);
        if (flags.json) {
          printJson({ ...run.document, outputs: { json: flags.out, text: textOut } });
          return;
        }
        const { renderDistillSummary, renderRulesTable } = await import('../distill/render.js'); // tables only when printed (not with --json)
        process.stdout.write(`${renderDistillSummary(run.document)}\n${renderRulesTable(run.document)}\n`);
        info(flags, `wrote ${flags.out} and ${textOut}`);
      }),
    );
}
