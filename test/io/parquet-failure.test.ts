import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsToBatch } from '../../src/events/arrow.js';
import { EventsBuilder } from '../../src/events/table.js';
import { writeParquet } from '../../src/io/parquet.js';

describe('writeParquet when its input fails', () => {
  it('leaves no file under the final name and no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-pq-fail-'));
    const b = new EventsBuilder();
    b.append({ sessionId: 's', experimentId: null, ts: 1, eventName: 'page_view', page: null, productId: null, storeMode: null, price: null, dwellMs: null, userAgent: null, metadata: null, isAgent: null, srcTopic: null, srcPartition: null, srcOffset: null, srcTs: null });
    const batch = eventsToBatch(b.flush());
    async function* failing() {
      yield batch;
      yield batch;
      throw new Error('source died');
    }
    await expect(writeParquet(join(dir, 'out.parquet'), failing())).rejects.toThrow('source died');
    expect(existsSync(join(dir, 'out.parquet'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
