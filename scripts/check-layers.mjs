#!/usr/bin/env node
// Import-direction check (docs/architecture.md): a module may import only from its own layer or a lower
// one. Lower layers — errors, io, stats, then events — never import higher ones, so the data path reads
// bottom-up. Run in CI (npm run lint); exits 1 listing every offending import.
// Usage: node scripts/check-layers.mjs [srcDir]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';

/** Layer of each top-level entry of src/ (folder or file). Higher numbers may import lower ones. */
export const LAYERS = {
  'errors.ts': 0, 'worker-script.ts': 0, stats: 0, io: 0, threads: 0,
  events: 1,
  sources: 2, 'access-log': 2, features: 2, kernels: 2, clusters: 2, models: 2, generate: 2, report: 2, sim: 2,
  export: 3, distill: 3, serve: 3, pipeline: 3, auction: 3,
  commands: 4, 'cli.ts': 4, 'index.ts': 4,
};

const src = resolve(process.argv[2] ?? 'src');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.ts')) files.push(p);
  }
})(src);

const top = (file) => relative(src, file).split(sep)[0];
const problems = [];
const layerOf = (file) => {
  const t = top(file);
  if (!(t in LAYERS)) problems.push(`${relative(process.cwd(), file)}: src/${t} has no layer; add it to LAYERS in scripts/check-layers.mjs and docs/architecture.md`);
  return LAYERS[t];
};
const importRe = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
for (const file of files) {
  const mine = layerOf(file);
  if (mine === undefined) continue;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    if (!target.startsWith(src + sep)) continue;
    const theirs = LAYERS[top(target)];
    if (theirs !== undefined && theirs > mine) {
      problems.push(`${relative(process.cwd(), file)} (layer ${mine}, src/${top(file)}) imports ${spec} (layer ${theirs}, src/${top(target)})`);
    }
  }
}
// apache-arrow has one door, src/io/arrow.ts, which loads its single-file build (~0.02 s) instead of its
// ~146-module ESM tree (~0.13 s in every command, docs/perf/startup-imports.md). Type-only imports are free.
const arrowDoor = join(src, 'io', 'arrow.ts');
const arrowRe = /(?:^|\n)\s*(import|export)(\s+type)?\s[^;]*?from\s+'(apache-arrow(?:\/[^']*)?)'|(?:import|require)\(\s*'(apache-arrow(?:\/[^']*)?)'\s*\)/g;
for (const file of files) {
  if (file === arrowDoor) continue;
  for (const m of readFileSync(file, 'utf8').matchAll(arrowRe)) {
    if (m[2] !== undefined) continue;
    problems.push(`${relative(process.cwd(), file)} imports ${m[3] ?? m[4]} directly; import from src/io/arrow.ts (the single-file build)`);
  }
}
if (problems.length > 0) {
  console.error(`layers: ${problems.length} import(s) point upwards or bypass src/io/arrow.ts:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`layers: ${files.length} modules, every import points to the same or a lower layer`);
