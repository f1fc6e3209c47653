/**
 * Indented IF/THEN text, in the shape of scikit-learn's export_text: each branch states its own
 * condition (`<=` left, `>` right; "or missing" on the side that receives NaN), each leaf one THEN line.
 *
 *   IF speed <= 12.5000
 *   |   THEN value = 1.2800 | samples = 412 | p_agent = 0.9100
 *   IF speed > 12.5000 or missing
 *   |   THEN value = 0.9500 | samples = 233 | p_agent = 0.1200
 */
import { branchCondition, leafAuxMeans, type AuxColumn, type RuleCondition } from './export-rules.js';
import type { CartTree } from './types.js';

export interface ExportTextOptions {
  /** Names to print instead of the tree's own. */
  featureNames?: string[];
  /** Digits after the decimal point for thresholds and values (default 4). */
  decimals?: number;
  /** Classification: names printed after the class index. */
  classNames?: string[];
  /** Adds `<name> = <mean>` to every leaf (name defaults to "aux"). */
  aux?: AuxColumn;
}

/** Fixed-point with `decimals` digits; values too small for that keep `decimals` significant digits. */
export function formatNumber(x: number, decimals: number): string {
  if (x !== 0 && Math.abs(x) < 10 ** -(decimals - 1)) return x.toPrecision(Math.max(1, decimals));
  return x.toFixed(decimals);
}

export function formatCondition(c: RuleCondition, decimals: number): string {
  return `${c.feature} ${c.op} ${formatNumber(c.threshold, decimals)}${c.orMissing ? ' or missing' : ''}`;
}

/**
 * Render the tree as indented IF/THEN rules; `parseRulesText` reads it back.
 * @example console.log(exportText(tree, { decimals: 2, aux: { name: 'p_agent', X, values: pAgent } }));
 */
export function exportText(tree: CartTree, options: ExportTextOptions = {}): string {
  const names = options.featureNames ?? tree.featureNames;
  const d = options.decimals ?? 4;
  const auxMeans = options.aux ? leafAuxMeans(tree, options.aux) : undefined;
  const auxName = options.aux?.name ?? 'aux';
  const K = tree.nClasses;
  const lines: string[] = [];
  const visit = (node: number, depth: number): void => {
    const indent = '|   '.repeat(depth);
    if (tree.left[node] !== -1) {
      lines.push(`${indent}IF ${formatCondition(branchCondition(tree, node, true, names), d)}`);
      visit(tree.left[node]!, depth + 1);
      lines.push(`${indent}IF ${formatCondition(branchCondition(tree, node, false, names), d)}`);
      visit(tree.right[node]!, depth + 1);
      return;
    }
    const fields: string[] = [];
    if (tree.kind === 'classification') {
      const k = tree.value[node]!;
      const label = options.classNames?.[k];
      fields.push(`class = ${k}${label === undefined ? '' : ` (${label})`}`);
    } else {
      fields.push(`value = ${formatNumber(tree.value[node]!, d)}`);
    }
    fields.push(`samples = ${tree.nSamples[node]}`);
    if (tree.kind === 'classification') {
      const proba = Array.from(tree.classProba.subarray(node * K, node * K + K), (v) => formatNumber(v, d));
      fields.push(`proba = ${proba.join(' ')}`);
    }
    if (auxMeans) {
      const m = auxMeans[node]!;
      fields.push(`${auxName} = ${Number.isNaN(m) ? 'n/a' : formatNumber(m, d)}`);
    }
    lines.push(`${indent}THEN ${fields.join(' | ')}`);
  };
  visit(0, 0);
  return `${lines.join('\n')}\n`;
}
