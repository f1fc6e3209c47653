/**
 * The export's view of a source without partitions or commits (Postgres, PostgREST, files, access logs):
 * batch streams in order. Apart from the Kafka source (sources.ts), so those exports never load kafkajs.
 */
import type { RawBatch } from '../sources/types.js';
import type { ExportSource, SourceBatch, StreamKind } from './types.js';

/**
 * A source without partitions or commits (Postgres, PostgREST, files): batch streams in order, optionally
 * a second stream of price-log records, and `maxMessages` applied here.
 * @example streamSource('file', [{ stream: 'events', open: () => readFiles(paths) }])
 */
export function streamSource(name: string, streams: { stream: StreamKind; open: () => AsyncGenerator<RawBatch> }[], maxMessages = Infinity): ExportSource {
  let stopped = false;
  return {
    name,
    resumable: false,
    async *batches(): AsyncGenerator<SourceBatch> {
      let left = maxMessages;
      for (const s of streams) {
        const gen = s.open();
        try {
          for await (const records of gen) {
            if (stopped || left <= 0) break;
            const take = records.length <= left ? records : records.slice(0, left);
            left -= take.length;
            yield { stream: s.stream, records: take };
          }
        } finally {
          await gen.return(undefined); // closes a database cursor early
        }
      }
    },
    commit: () => Promise.resolve(0),
    assignment: () => null,
    rewind: () => 0,
    more: () => Promise.resolve(false),
    committed: () => Promise.resolve(new Map()),
    stop: () => {
      stopped = true;
    },
    close: () => Promise.resolve(),
  };
}
