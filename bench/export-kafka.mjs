// bench: Kafka → Parquet with `phantom export` (issue 3 targets: >= 50k events/s, peak RSS < 1 GB at 4M,
// memory flat in the input size). A real Kafka-protocol broker (librdkafka's mock cluster, native/kafka-mock.c)
// holds `phantom generate` events keyed by sessionId, produced with kcat (librdkafka), uncompressed (kafkajs
// reads only gzip and uncompressed batches without codec plugins; LZ4 fails). The mock keeps about 5 MB per
// partition and silently drops older records beyond that, so each size gets its own topic with one
// partition per 10,000 events (100 partitions for 1M, 400 for 4M); every run checks it wrote all N.
// Measured per run (its own process: wall time incl. connect/group join, peak RSS):
//   export → events.parquet      batch export to one file (streams; no group)
//   export --group → DIR/        rolling part files (--flush-records 500k), offsets committed after each file
//   reference: kcat -C           the same records consumed by librdkafka's CLI (offsets printed; the broker's pace)
//   floors (bench/lib/kafka-floors.mjs): bare kafkajs consuming the topic (the client alone), JSON.parse of the
//                                same values held as Buffers (no client), and bare kafkajs with phantom's Fetch decoder
//                                (src/sources/kafka-fetch-decoder.ts); CPU of the measured part, start-up excluded
// CPU s (user + system, all threads, GNU time) is the figure to compare on a loaded machine; the load
// average at the end of each run is printed beside it.
// Usage: npx tsc -p . && node bench/export-kafka.mjs [sizes=1000000,4000000]
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { measure, printTable } from './measure.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const sizes = (process.argv[2] ?? '1000000,4000000').split(',').map(Number);
const largest = Math.max(...sizes);

function mockBinary() {
  const bin = join(ROOT, 'native/build/kafka-mock');
  if (!existsSync(bin)) {
    mkdirSync(join(ROOT, 'native/build'), { recursive: true });
    const cc = spawnSync('cc', ['-O2', join(ROOT, 'native/kafka-mock.c'), '-o', bin, '-lrdkafka'], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cannot build the mock broker (apt-get install librdkafka-dev gcc): ${cc.stderr}`);
  }
  return bin;
}

async function startBroker(topics) {
  const child = spawn(mockBinary(), topics, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const brokers = (await lines.next()).value;
  return { brokers, stop: () => child.stdin.end() };
}

// `key<TAB>value` lines into kcat -P, the key being the event's sessionId (so sessions stay in one partition)
async function produce(brokers, topic, jsonl, limit) {
  const kcat = spawn('kcat', ['-P', '-b', brokers, '-t', topic, '-K', '\t', '-z', 'none', '-X', 'linger.ms=50', '-X', 'batch.num.messages=10000'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve, reject) => kcat.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat -P exited ${code}`)))));
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(jsonl) })) {
    if (n >= limit) break;
    const key = /"sessionId":"([^"]*)"/.exec(line)[1];
    if (!kcat.stdin.write(`${key}\t${line}\n`)) await new Promise((r) => kcat.stdin.once('drain', r));
    n++;
  }
  kcat.stdin.end();
  await done;
  return n;
}

const dirSize = (p) => (statSync(p).isDirectory() ? readdirSync(p).reduce((s, f) => s + dirSize(join(p, f)), 0) : statSync(p).size);

const work = mkdtempSync(join(tmpdir(), 'phantom-bench-kafka-'));
const topicOf = (n) => `user-interactions-${n}`;
const broker = await startBroker(sizes.map((n) => `${topicOf(n)}:${Math.ceil(n / 10_000)}`));
try {
  // ~11.6 events per session with the built-in profiles
  const jsonl = join(work, 'events.jsonl');
  const gen = await measure(process.execPath, [join(ROOT, 'bin/phantom.js'), 'generate', '-n', String(Math.ceil(largest / 11)), '--seed', '3', '-o', jsonl, '-q']);
  if (gen.code !== 0) throw new Error(gen.stderr);
  const results = [];
  for (const n of sizes) {
    const topic = topicOf(n);
    const t0 = performance.now();
    const produced = await produce(broker.brokers, topic, jsonl, n);
    if (produced < n) throw new Error(`generate made ${produced} events, fewer than ${n}`);
    console.error(`produced ${produced.toLocaleString('en-US')} events to ${Math.ceil(n / 10_000)} partitions with kcat in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const base = [join(ROOT, 'bin/phantom.js'), 'export', '--from', 'kafka', '--brokers', broker.brokers, '--topic', topic, '--json', '-q'];
    const runs = [
      ['export → events.parquet', (out) => [...base, '-o', join(out, 'events.parquet')]],
      ['export --group → DIR/ (500k rolls)', (out) => [...base, '--group', `bench-${n}`, '--session-timeout', '6s', '-o', out]],
    ];
    for (const [label, args] of runs) {
      const out = join(work, `out-${n}-${results.length}`);
      mkdirSync(out, { recursive: true });
      const r = await measure(process.execPath, args(out));
      if (r.code !== 0) throw new Error(`${label} failed (${r.code}): ${r.stderr.slice(0, 2000)}`);
      const s = JSON.parse(r.stdout);
      if (s.records_written !== n) throw new Error(`${label}: wrote ${s.records_written} of ${n}: ${JSON.stringify({ ...s, files_written: undefined })}`);
      results.push({ events: n, path: label, seconds: r.seconds.toFixed(2), 'events/s': Math.round(n / r.seconds), 'CPU s': r.cpuSeconds.toFixed(2), 'peak RSS MB': Math.round(r.peakRssMb), 'Parquet MB': (dirSize(out) / 1e6).toFixed(1), files: s.files_written.length, load: loadavg()[0].toFixed(1) });
      rmSync(out, { recursive: true, force: true });
    }
    const ref = await measure('kcat', ['-C', '-b', broker.brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%o\n']);
    const consumed = ref.stdout.split('\n').length - 1;
    if (consumed !== n) throw new Error(`kcat consumed ${consumed} of ${n}: the broker dropped records`);
    results.push({ events: n, path: 'reference: kcat -C (consume only)', seconds: ref.seconds.toFixed(2), 'events/s': Math.round(n / ref.seconds), 'CPU s': ref.cpuSeconds.toFixed(2), 'peak RSS MB': Math.round(ref.peakRssMb), 'Parquet MB': '–', files: '–', load: loadavg()[0].toFixed(1) });
    // floors: what any export built on kafkajs and on reading the JSON values must spend, whatever else it does
    for (const [label, floorArgs] of [
      ['floor: bare kafkajs consume (client only)', ['kafkajs', broker.brokers, topic, String(n)]],
      ['floor: JSON.parse of the same values (no client)', ['json', jsonl, String(n)]],
      ['floor: bare kafkajs + phantom\'s Fetch decoder', ['kafkajs-fastdec', broker.brokers, topic, String(n)]],
    ]) {
      const f = await measure(process.execPath, [join(ROOT, 'bench/lib/kafka-floors.mjs'), ...floorArgs]);
      if (f.code !== 0) throw new Error(`${label} failed (${f.code}): ${f.stderr.slice(0, 2000)}`);
      const { records, cpuSeconds } = JSON.parse(f.stdout);
      if (records < n) throw new Error(`${label}: saw ${records} of ${n} records`);
      // the JSON floor's wall time and RSS are mostly reading the whole file into memory first: not shown
      const client = floorArgs[0].startsWith('kafkajs');
      results.push({ events: n, path: label, seconds: client ? f.seconds.toFixed(2) : '–', 'events/s': client ? Math.round(n / f.seconds) : '–', 'CPU s': cpuSeconds.toFixed(2), 'peak RSS MB': client ? Math.round(f.peakRssMb) : '–', 'Parquet MB': '–', files: '–', load: loadavg()[0].toFixed(1) });
    }
  }
  printTable('Kafka (librdkafka mock broker, one partition per 10k events) → phantom export (wall time incl. connect and group join; peak RSS per process)', results);
  const pairs = sizes.map((n) => {
    const rows = results.filter((r) => r.events === n);
    return `${n.toLocaleString('en-US')}: export/kcat wall-time ratio ${(rows[0].seconds / rows[2].seconds).toFixed(1)}, CPU ratio ${(rows[0]['CPU s'] / rows[2]['CPU s']).toFixed(1)}; floors/kcat CPU: bare kafkajs ${(rows[3]['CPU s'] / rows[2]['CPU s']).toFixed(1)}, JSON.parse ${(rows[4]['CPU s'] / rows[2]['CPU s']).toFixed(1)}, kafkajs + phantom's decoder ${(rows[5]['CPU s'] / rows[2]['CPU s']).toFixed(1)}`;
  });
  console.log(pairs.join('; '));
  console.log(JSON.stringify({ bench: 'export-kafka', results }));
} finally {
  broker.stop();
  rmSync(work, { recursive: true, force: true });
}
