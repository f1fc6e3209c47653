// Floors for the Kafka export bench (bench/export-kafka.mjs), each run as its own process so GNU time
// measures it like the export and kcat:
//   node bench/lib/kafka-floors.mjs json FILE N            decode + JSON.parse the first N lines of FILE, each held
//                                                            as a Buffer the way a Kafka value arrives (no client)
//   node bench/lib/kafka-floors.mjs kafkajs BROKERS TOPIC N  consume N records with bare kafkajs (eachBatch, nothing
//                                                            done with a message): the client alone
//   node bench/lib/kafka-floors.mjs kafkajs-fastdec BROKERS TOPIC N  the same with phantom's Fetch decoder installed
//                                                            (dist/sources/kafka-fetch-decoder.js; npx tsc -p . first)
// Prints one JSON line: { floor, records, cpuSeconds } where cpuSeconds is this process's CPU over the measured
// part only (start-up and reading FILE excluded; for kafkajs the whole consume including the group join).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [mode, ...args] = process.argv.slice(2);
const cpu = (c) => (c.user + c.system) / 1e6;

if (mode === 'json') {
  const [file, nText] = args;
  const n = Number(nText);
  // read as bytes: the JSON lines of 4M events are more than V8's longest string
  const bytes = readFileSync(file);
  const values = [];
  for (let a = 0; values.length < n && a < bytes.length; ) {
    let b = bytes.indexOf(0x0a, a);
    if (b < 0) b = bytes.length;
    if (b > a) values.push(Buffer.from(bytes.subarray(a, b)));
    a = b + 1;
  }
  const c0 = process.cpuUsage();
  let kept = 0;
  for (const v of values) if (JSON.parse(v.toString('utf8')) !== null) kept++;
  console.log(JSON.stringify({ floor: 'json', records: kept, cpuSeconds: cpu(process.cpuUsage(c0)) }));
} else if (mode === 'kafkajs' || mode === 'kafkajs-fastdec') {
  const [brokers, topic, nText] = args;
  if (mode === 'kafkajs-fastdec') {
    const { installFetchDecoder } = await import('../../dist/sources/kafka-fetch-decoder.js');
    if (!(await installFetchDecoder())) throw new Error('the fast Fetch decoder did not install');
  }
  const n = Number(nText);
  const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs');
  const c0 = process.cpuUsage();
  const kafka = new Kafka({ clientId: 'phantom-bench-floor', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `phantom-bench-floor-${process.pid}`, maxBytes: 10 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          if (seen >= n) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  console.log(JSON.stringify({ floor: mode, records: seen, cpuSeconds: cpu(process.cpuUsage(c0)) }));
} else {
  console.error('usage: kafka-floors.mjs json FILE N | kafkajs BROKERS TOPIC N | kafkajs-fastdec BROKERS TOPIC N');
  process.exit(2);
}
