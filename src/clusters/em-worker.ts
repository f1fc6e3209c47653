/**
 * An E-step helper thread (see em-threads.ts): claims chunks of patterns from the shared counter, computes each
 * chunk's M-step sums into its slot and flags it done with the generation (−generation when it failed), then
 * sleeps until the caller starts the next generation.
 */
import { workerData } from 'node:worker_threads';
import { CLAIM_SLOTS, computeChunk, EM_CTL, type EmShared } from './em-threads.js';

const sh = workerData as EmShared, ctl = sh.ctl, chunks = sh.bounds.length - 1;

function flag(c: number, value: number): void {
  Atomics.store(ctl, EM_CTL.flags + c, value);
  Atomics.notify(ctl, EM_CTL.flags + c);
}

while (Atomics.load(ctl, EM_CTL.stop) === 0) {
  const x = Atomics.add(ctl, EM_CTL.claim, 1), generation = Math.floor(x / CLAIM_SLOTS), c = x % CLAIM_SLOTS;
  if (generation > 0 && c < chunks) {
    try {
      computeChunk(sh, c, Atomics.load(ctl, EM_CTL.k), Atomics.load(ctl, EM_CTL.timed) === 1);
      flag(c, generation);
      continue;
    } catch {
      flag(c, -generation);
      break;
    }
  }
  // nothing left in this generation: sleep until the caller starts the next one
  for (let now = Atomics.load(ctl, EM_CTL.claim); Math.floor(now / CLAIM_SLOTS) <= generation && Atomics.load(ctl, EM_CTL.stop) === 0; now = Atomics.load(ctl, EM_CTL.claim)) {
    Atomics.wait(ctl, EM_CTL.claim, now, 1000);
  }
}
