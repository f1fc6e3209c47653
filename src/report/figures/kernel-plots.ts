/**
 * The figures of `phantom kernels --plot DIR` (a heat map per class kernel, the agent − human difference,
 * a DOT graph per kernel) and of `phantom separability --plot DIR` (gap scores by class).
 */
import { join } from 'node:path';
import { atomicWriteFile } from '../../io/atomic.js';
import { CLASSES, kernelMatrix, smoothingFor, visits } from '../../kernels/kernel.js';
import type { KernelsModel } from '../../kernels/fit-kernels.js';
import type { SeparabilityResult } from '../../kernels/separability.js';
import { UNSCORED } from '../../kernels/gap-scores.js';
import { heatmapSvg } from './heatmap.js';
import { kernelDot } from './kernel-dot.js';
import { stripBoxSvg } from './strip-box.js';
import { writeFigure } from './write-figure.js';

/** Kernel rows estimated from fewer transitions than this are faded in the heat maps (docs/method.md). */
export const FADE_BELOW_TRANSITIONS = 30;

/**
 * Write the kernel figures; returns the paths written.
 * @example await writeKernelPlots('plots', report) // ['plots/kernel-human.svg', …, 'plots/kernel-human.dot', …]
 */
export async function writeKernelPlots(dir: string, model: KernelsModel): Promise<string[]> {
  const sm = smoothingFor(model.params.smoothing, model.vocabulary);
  const byClass = (c: (typeof CLASSES)[number]) => {
    const counts = Array.from(visits(model.classes[c]));
    // Rows a class never left (other than the absorbing <end>) show only the smoothing prior.
    return { c, kernel: kernelMatrix(model.classes[c].mass, sm), counts, unobserved: counts.map((n, a) => n === 0 && a !== sm.end) };
  };
  const human = byClass('human'), agent = byClass('agent');
  const classes = [human, agent]; // CLASSES order
  // <end> is absorbing by construction: its row is not an estimate
  const fade = (row: number[]) => row.map((n, a) => a !== sm.end && n < FADE_BELOW_TRANSITIONS);
  const fadeNote = `n = transitions out of the row's state; rows with n < ${FADE_BELOW_TRANSITIONS} are faded`;
  const written: string[] = [];
  const label = `P(next | current), ${model.params.state} states, α = ${model.params.smoothing}`;
  for (const { c, kernel, counts, unobserved } of classes) {
    const f = await writeFigure(dir, `kernel-${c}`, heatmapSvg({
      title: `${c} kernel (${model.classes[c].sessions.toLocaleString('en-US')} sessions, ${model.classes[c].transitions.toLocaleString('en-US')} transitions)`,
      labels: model.vocabulary, values: kernel, scale: 'sequential', valueLabel: label, unobserved,
      rowCounts: counts, faded: fade(counts), fadeNote,
    }));
    written.push(f.svg, ...(f.png ? [f.png] : []));
  }
  // the two classes' arrays are indexed alike (v² kernel cells, v rows)
  const diff = agent.kernel.map((x, i) => x - human.kernel[i]!);
  const fewer = human.counts.map((n, a) => Math.min(n, agent.counts[a]!));
  const f = await writeFigure(dir, 'kernel-difference', heatmapSvg({
    title: 'agent − human kernel', labels: model.vocabulary, values: diff, scale: 'diverging', valueLabel: 'P_agent − P_human (blue: more agent)',
    unobserved: human.unobserved.map((u, a) => u || agent.unobserved[a]!),
    rowCounts: fewer, faded: fade(fewer), fadeNote,
  }));
  written.push(f.svg, ...(f.png ? [f.png] : []));
  for (const { c, kernel } of classes) {
    const path = join(dir, `kernel-${c}.dot`);
    await atomicWriteFile(path, kernelDot({ name: `${c} kernel`, labels: model.vocabulary, kernel }));
    written.push(path);
  }
  return written;
}

/**
 * Write the strip/box plot of gap scores by class; returns the paths written.
 * @example await writeGapPlot('plots', result) // ['plots/gap-scores.svg']
 */
export async function writeGapPlot(dir: string, r: SeparabilityResult): Promise<string[]> {
  const groups = CLASSES.map((name, label) => {
    const values: number[] = [];
    r.sessions.labels.forEach((l, s) => {
      if (l === label && r.sessions.scores.status[s] === UNSCORED.scored) values.push(r.sessions.scores.gap[s]!);
    });
    return { name, values };
  });
  const how = r.params.inSample ? 'in-sample centroids' : 'leave-one-out centroids';
  const f = await writeFigure(dir, 'gap-scores', stripBoxSvg(groups, {
    title: `Gap scores ΔH − ΔA (${how}; p = ${r.test.pvalue.toPrecision(3)})`, yLabel: 'gap = ΔH − ΔA (> 0: agent-like)', reference: 0,
  }));
  return [f.svg, ...(f.png ? [f.png] : [])];
}
