// Assembles src/models/gbdt/hist-kernel.wat (WebAssembly text, SIMD and threads) with the devDependency wabt
// and writes its bytes, base64, into src/models/gbdt/hist-kernel-wasm.ts, which is committed: the runtime
// never needs wabt. test/models/gbdt/hist-kernel.test.ts re-assembles the text and checks the committed bytes.
// Usage: node scripts/build-wasm.mjs [--check]   (--check: exit 1 when the committed module is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleHistKernel, histKernelModuleText } from './wasm-assemble.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}src/models/gbdt/hist-kernel-wasm.ts`;
const text = histKernelModuleText(await assembleHistKernel(readFileSync(`${root}src/models/gbdt/hist-kernel.wat`, 'utf8')));
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) {
    console.error(`${out} is stale: run node scripts/build-wasm.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
