/**
 * Worker-thread side of `generateParquetParallel`: samples the chunks it is asked for and encodes each
 * as Parquet row groups (zstd in WASM), so sampling and encoding run on every core. Messages in:
 * `{ chunk: k }` or `{ stop: true }`; out: `{ chunk, rowGroups, events, sessions }` (row-group bytes
 * transferred, not copied) or `{ error, code }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeEventsRowGroup, rowGroupParts } from '../events/events-row-group.js';
import { parquetCodec } from '../io/parquet-codecs.js';
import type { CompressionName } from '../io/parquet.js';
import { generateDataset, type GenerateOptions } from './generate.js';

const port = parentPort!;
const { options, compression, rowGroupSize } = workerData as { options: GenerateOptions; compression: CompressionName; rowGroupSize: number };

const ready = (async () => ({ dataset: generateDataset(options), codec: await parquetCodec(compression) }))();

port.on('message', (m: { chunk: number } | { stop: true }) => {
  if ('stop' in m) {
    port.close();
    return;
  }
  ready.then(({ dataset, codec }) => {
    const table = dataset.chunkAt(m.chunk);
    const rowGroups = table.length === 0 ? [] : [...rowGroupParts(table, rowGroupSize)].map((part) => encodeEventsRowGroup(part, codec));
    port.postMessage({ chunk: m.chunk, rowGroups, events: table.length, sessions: table.sessionId.dict.length }, rowGroups.map((rg) => rg.bytes.buffer as ArrayBuffer));
  }).catch((e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e), code: (e as NodeJS.ErrnoException).code }));
});
