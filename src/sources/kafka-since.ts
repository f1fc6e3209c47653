/**
 * `--since` start offsets, checked before they are trusted. The broker's time index says where records at
 * or after `since` begin; we seek one record earlier (the probe) and read it: if it is older than `since`
 * the answer holds and reading goes on from there. If not (librdkafka's mock answers the log end for any
 * timestamp), the index is unusable: one warning, and every partition is read from its natural start
 * (committed offset or earliest), older records skipped on their timestamps.
 */
import { sinceProbeVerdict, tpKey } from './kafka-offsets.js';

interface ProbeState {
  phase: 'fresh' | 'probing' | 'reading';
  /** First offset this generation delivered before any seek: where a fallback goes back to. */
  natural: number | null;
}

type Seek = (tp: { topic: string; partition: number }, offset: number) => void;

export class SinceProbes {
  private readonly states = new Map<string, ProbeState>();
  private unusable = false;

  /**
   * @param lookups offset per `tpKey` from `lookupSinceOffsets`
   * @example const probes = new SinceProbes(Date.parse(since), lookups, (tp, o) => consumer.seek(...), warn);
   */
  constructor(
    private readonly sinceMs: number | undefined,
    private readonly lookups: Map<string, number>,
    private readonly seek: Seek,
    private readonly onWarning?: (message: string) => void,
  ) {}

  /** A new group generation restarts the partition from its committed offset: probe again. */
  reset(topic: string, partition: number): void {
    this.states.set(tpKey(topic, partition), { phase: 'fresh', natural: null });
  }

  isReading(topic: string, partition: number): boolean {
    return this.sinceMs === undefined || this.get(tpKey(topic, partition)).phase === 'reading';
  }

  /** Whether the records were ever found out of line with the time index. */
  get fellBack(): boolean {
    return this.unusable;
  }

  /**
   * Decide what to do with a fetched batch: true = deliver it; false = it was discarded for a seek.
   * @example if (!probes.admit(topic, partition, batch.messages)) return;
   */
  admit(topic: string, partition: number, messages: readonly { offset: string; timestamp: string }[]): boolean {
    if (this.sinceMs === undefined || messages.length === 0) return true;
    const key = tpKey(topic, partition);
    const st = this.get(key);
    if (st.phase === 'reading') return true;
    const first = Number(messages[0]!.offset);
    const lookedUp = this.lookups.get(key);
    if (st.phase === 'fresh') {
      st.natural = first;
      if (lookedUp === undefined || this.unusable || first > lookedUp - 1) return this.read(st);
      if (first < lookedUp - 1) {
        st.phase = 'probing';
        this.seek({ topic, partition }, lookedUp - 1);
        return false;
      }
    }
    if (!this.unusable && lookedUp !== undefined) {
      const probe = messages.filter((m) => Number(m.offset) < lookedUp).map((m) => ({ offset: Number(m.offset), timestamp: Number(m.timestamp) }));
      if (sinceProbeVerdict(probe, lookedUp, this.sinceMs) !== 'wrong') return this.read(st);
      this.unusable = true;
      const at = probe[probe.length - 1]!;
      this.onWarning?.(
        `--since: the broker's time index is unusable (${topic}[${partition}] offset ${lookedUp} is preceded by a record ` +
          `at ${new Date(at.timestamp).toISOString()}, not older than --since); reading each partition from its start ` +
          'and skipping older records',
      );
    }
    // Fall back: go back to where this partition would have started without the lookup.
    if (st.natural !== null && st.natural < first) {
      st.phase = 'reading';
      this.seek({ topic, partition }, st.natural);
      return false;
    }
    return this.read(st);
  }

  private read(st: ProbeState): true {
    st.phase = 'reading';
    return true;
  }

  private get(key: string): ProbeState {
    let st = this.states.get(key);
    if (!st) {
      st = { phase: 'fresh', natural: null };
      this.states.set(key, st);
    }
    return st;
  }
}
