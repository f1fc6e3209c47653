/**
 * A transition kernel as a Graphviz DOT digraph (`dot -Tsvg kernel-human.dot`): one edge per transition
 * with probability ≥ `minProbability`, labelled with it, pen width growing with it.
 */

export interface KernelDotOptions {
  name: string;
  labels: readonly string[];
  /** V×V row-major kernel, rows = source */
  kernel: Float64Array;
  minProbability?: number;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * DOT text of a kernel.
 * @example kernelDot({ name: 'human', labels: vocab, kernel }) // 'digraph "human" { … }'
 */
export function kernelDot(o: KernelDotOptions): string {
  const v = o.labels.length, min = o.minProbability ?? 0.01;
  const lines = [`digraph ${quote(o.name)} {`, '  rankdir=LR;', '  node [shape=box, style=rounded, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const label of o.labels) lines.push(`  ${quote(label)};`);
  for (const [a, from] of o.labels.entries()) {
    for (const [b, to] of o.labels.entries()) {
      const p = o.kernel[a * v + b]!;
      if (!(p >= min) || (a === b && p === 1 && from === '<end>')) continue;
      lines.push(`  ${quote(from)} -> ${quote(to)} [label="${p.toFixed(2)}", penwidth=${(0.5 + 4 * p).toFixed(2)}];`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
