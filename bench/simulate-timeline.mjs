// bench: where the wall clock of `phantom simulate`'s grid goes, 1 worker against 2 (issue 21 goal 7).
// Runs the bench grid of bench/simulate.mjs with bench/lib/timeline-preload.mjs, which timestamps (monotonic
// clock, shared with this process) the main thread's start, each worker's creation, start, each job's start
// and end, and the main thread's exit, with that thread's CPU and run-queue wait (/proc/thread-self/schedstat);
// this process samples every thread's CPU (/proc/<pid>/task/*/schedstat) every 10 ms meanwhile. From that,
// each run's critical path: the chain from spawn to exit through the worker that replied last, split into
//   boot        spawn → the main thread's first line (Node's start-up)
//   main        → the worker is created (the CLI's modules, the command's inputs: serial on the main thread)
//   thread      → the worker's first line (Node's worker bootstrap)
//   ready       → its first job (its imports and primeClosures)
//   jobs        the jobs it ran (their CPU and their run-queue wait, i.e. time runnable but not running)
//   hand-off    reply → next job, summed
//   finish      its last reply → the main thread's exit (assembling, summarising, writing the outputs)
//   teardown    → the process is gone
// and, beside it, `tail` (how long the other worker sat idle at the end), `idle` (2 × elapsed − the CPU of
// all its threads: core time this process did not use, from the 10 ms samples, before the first job, between
// first job and last reply, and after) and, per 1-/2-worker pair, wall₂ − wall₁/2 by phase. Read the CPU and
// wait columns when the machine is loaded; the wall and idle columns only when it is quiet, or with the run
// raised above the other processes (as root; docs/perf/gridwall.md):
//   setsid bash -c 'echo -20 > /proc/self/autogroup; exec nice -n -20 node bench/simulate-timeline.mjs'
// Usage: node bench/simulate-timeline.mjs [--repeat 3] [--workers 1,2] [--json FILE] [--node-flags '--flag …']   (needs `npx tsc -p .`)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './measure.mjs';

const argv = process.argv.slice(2);
const flag = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const repeat = Number(flag('--repeat', '3'));
const workerCounts = flag('--workers', '1,2').split(',').map(Number);
const jsonOut = flag('--json', null);
const nodeFlags = flag('--node-flags', '').split(' ').filter(Boolean); // experiments, e.g. --node-flags '--single-threaded-gc'
const preload = fileURLToPath(new URL('./lib/timeline-preload.mjs', import.meta.url));
const grid = ['bin/phantom.js', 'simulate', '--products', '100', '--alpha', '0:0.6:0.2', '--policy', 'static,surge,defended-surge,linucb,defended-linucb', '--seeds', '2', '--steps', '500', '--no-plot', '-q'];
const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-timeline-'));
const now = () => Number(process.hrtime.bigint());

/** Run the grid once with the timeline preload; the raw events and the parent's samples. */
function runOnce(workers, k) {
  const file = join(dir, `w${workers}-${k}.jsonl`);
  writeFileSync(file, '');
  return new Promise((resolve, reject) => {
    const load = loadavg()[0];
    const spawned = now();
    const child = spawn(process.execPath, [...nodeFlags, '--import', preload, ...grid, '--workers', String(workers), '-o', join(dir, `out-w${workers}`)], {
      stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PHANTOM_TIMELINE: file },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const samples = [], cpu = new Map();
    const sample = () => {
      try {
        for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
          try { cpu.set(tid, Number(readFileSync(`/proc/${child.pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])); } catch {}
        }
        samples.push({ t: now(), cpu: [...cpu.values()].reduce((a, b) => a + b, 0) });
      } catch {}
    };
    const poll = setInterval(sample, 10);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const closed = now();
      if (code !== 0) { reject(new Error(`grid failed (${code}): ${stderr}`)); return; }
      const events = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      resolve({ workers, spawned, closed, events, samples, load, loadAfter: loadavg()[0] });
    });
  });
}

const ms = (ns) => ns / 1e6;

/** The critical path and the rest of one run, in ms. */
function analyse({ workers, spawned, closed, events, samples, load, loadAfter }) {
  const main = events.filter((e) => e.main);
  const mainStart = main.find((e) => e.event === 'start');
  const exit = main.find((e) => e.event === 'exit');
  const created = main.filter((e) => e.event === 'worker-new');
  const lanes = new Map(); // worker tid → its events
  for (const e of events) if (!e.main) lanes.set(e.tid, [...(lanes.get(e.tid) ?? []), e]);
  // worker k is the k-th to start (creation order and start order may differ; the pairing below only needs
  // the creation time of the worker on the critical path, taken as the latest creation before its start)
  const perWorker = [...lanes.values()].map((evs) => {
    const start = evs.find((e) => e.event === 'start');
    const jobs = [];
    let open = null;
    for (const e of evs) {
      if (e.event === 'job') open = e;
      else if (e.event === 'reply' && open) { jobs.push({ id: e.id, start: open.t, end: e.t, cpu: e.cpu - open.cpu, wait: e.wait - open.wait }); open = null; }
    }
    const createdAt = created.filter((c) => c.t <= start.t).at(-1)?.t ?? created[0].t;
    const handoff = jobs.slice(1).reduce((s, j, i) => s + (j.start - jobs[i].end), 0);
    return { createdAt, start, jobs, handoff, lastReply: jobs.at(-1).end, cpu: evs.at(-1).cpu, firstJob: jobs[0].start };
  });
  const crit = perWorker.reduce((a, b) => (b.lastReply > a.lastReply ? b : a));
  const lastReplies = perWorker.map((w) => w.lastReply).sort((a, b) => a - b);
  const firstJob = Math.min(...perWorker.map((w) => w.firstJob));
  const lastReply = lastReplies.at(-1);
  const helpers = exit.threads.filter((t) => t.tid !== mainStart.tid).reduce((s, t) => s + t.cpu, 0);
  const workerCpu = perWorker.map((w) => w.cpu);
  const total = exit.cpu + helpers + workerCpu.reduce((a, b) => a + b, 0);
  // idle core time per phase from the parent's samples: 2 × elapsed − CPU used in it
  const cpuAt = (t) => { let c = 0; for (const s of samples) { if (s.t > t) break; c = s.cpu; } return c; };
  const idle = (a, b) => Math.max(0, 2 * (b - a) - (cpuAt(b) - cpuAt(a)));
  const sum = (xs, f) => xs.reduce((s, x) => s + f(x), 0);
  const r = {
    workers, wall: ms(closed - spawned), load: `${load.toFixed(2)}→${loadAfter.toFixed(2)}`,
    boot: ms(mainStart.t - spawned), main: ms(crit.createdAt - mainStart.t), thread: ms(crit.start.t - crit.createdAt), ready: ms(crit.firstJob - crit.start.t),
    jobs: ms(sum(crit.jobs, (j) => j.end - j.start)), jobsCpu: ms(sum(crit.jobs, (j) => j.cpu)), jobsWait: ms(sum(crit.jobs, (j) => j.wait)), nJobs: crit.jobs.length,
    handoff: ms(crit.handoff), finish: ms(exit.t - crit.lastReply), teardown: ms(closed - exit.t),
    tail: ms(lastReply - lastReplies[0]),
    mainCpuBefore: ms(created[0].cpu - mainStart.cpu), mainCpuAfter: ms(exit.cpu - main.filter((e) => e.event === 'receive').at(-1).cpu),
    readyCpu: ms(lanes.get(crit.start.tid).find((e) => e.event === 'job').cpu - crit.start.cpu),
    cpuTotal: ms(total), cpuMain: ms(exit.cpu), cpuWorkers: workerCpu.map((c) => ms(c)), cpuOther: ms(helpers),
    projected: ms(Math.max(total / 2, exit.cpu + Math.max(...workerCpu))),
    idleBefore: ms(idle(spawned, firstJob)), idleJobs: ms(idle(firstJob, lastReply)), idleAfter: ms(idle(lastReply, closed)),
    firstJobAt: ms(firstJob - spawned),
    perJob: perWorker.flatMap((w, k) => w.jobs.map((j) => ({ worker: k, id: j.id, at: ms(j.start - spawned), wall: ms(j.end - j.start), cpu: ms(j.cpu), wait: ms(j.wait) }))),
  };
  return r;
}

const runs = [];
for (let k = 0; k < repeat; k++) for (const w of workerCounts) runs.push(analyse(await runOnce(w, k)));
const f = (x) => x.toFixed(0);
printTable('critical path of each run, ms (wall; CPU and run-queue wait of the critical worker\'s jobs)', runs.map((r) => ({
  workers: r.workers, 'load 1m': r.load, wall: f(r.wall), boot: f(r.boot), main: f(r.main), thread: f(r.thread), ready: f(r.ready), 'first job at': f(r.firstJobAt),
  [`jobs (n)`]: `${f(r.jobs)} (${r.nJobs})`, 'jobs CPU': f(r.jobsCpu), 'jobs wait': f(r.jobsWait), 'hand-off': f(r.handoff), finish: f(r.finish), teardown: f(r.teardown), tail: f(r.tail),
})));
printTable('CPU of each run, ms, and core time left idle (2 cores)', runs.map((r) => ({
  workers: r.workers, 'CPU total': f(r.cpuTotal), main: f(r.cpuMain), 'main before workers': f(r.mainCpuBefore), 'main after last job': f(r.mainCpuAfter),
  workers_: r.cpuWorkers.map(f).join(' + '), 'worker ready CPU': f(r.readyCpu), 'other threads': f(r.cpuOther), projected: f(r.projected),
  'idle before first job': f(r.idleBefore), 'idle during jobs': f(r.idleJobs), 'idle after last job': f(r.idleAfter),
})));
// What keeps 2 workers from halving 1 worker's wall, pair by pair (the 1- and 2-worker runs of one round):
// wall₂ − wall₁ / 2, split by phase. The serial phases count once in wall₂ but half in wall₁ / 2 (Amdahl);
// the jobs' share is the 2-worker run's contention (run-queue wait: the V8 helper threads, the main thread,
// other processes) and any CPU the second worker repeats. 1.8× allows wall₁ × (1/1.8 − 1/2).
const pairs = [];
for (let k = 0; k + 1 < runs.length; k++) if (runs[k].workers === 1 && runs[k + 1].workers === 2) pairs.push([runs[k], runs[k + 1]]);
if (pairs.length > 0) {
  printTable('wall₂ − wall₁/2 by phase, ms (what 2 workers lose against halving; 1.8× allows wall₁ × 0.0556)', pairs.map(([a, b]) => ({
    'ratio': (a.wall / b.wall).toFixed(2), 'wall₁': f(a.wall), 'wall₂': f(b.wall), loss: f(b.wall - a.wall / 2), 'allowed for 1.8×': f(a.wall * (1 / 1.8 - 1 / 2)),
    'before first job': f(b.firstJobAt - a.firstJobAt / 2), jobs: f(b.jobs - a.jobs / 2), 'of which wait₂ − wait₁/2': f(b.jobsWait - a.jobsWait / 2), 'CPU₂ − CPU₁/2': f(b.jobsCpu - a.jobsCpu / 2),
    'hand-off': f(b.handoff - a.handoff / 2), 'after last job': f(b.finish + b.teardown - (a.finish + a.teardown) / 2), 'tail (in jobs)': f(b.tail),
  })));
}
const med = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
if (workerCounts.includes(1) && workerCounts.includes(2)) {
  const by = (w, key) => med(runs.filter((r) => r.workers === w).map((r) => r[key]));
  console.log(`median wall 1 worker ${f(by(1, 'wall'))} ms, 2 workers ${f(by(2, 'wall'))} ms: ${(by(1, 'wall') / by(2, 'wall')).toFixed(2)}×; projected ${(by(1, 'projected') / by(2, 'projected')).toFixed(2)}× (load ${runs.map((r) => r.load).join(', ')})`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(runs, null, 1));
rmSync(dir, { recursive: true, force: true });
