/**
 * Timing features (docs/features.md): gaps between consecutive events of a session, in seconds (ms precision),
 * their sum under the inactivity timeout, mean, sample std, min, median, CV, start hour, velocity and
 * the densest 5-minute window. One pass over each session's sorted timestamps.
 */
import type { FeatureSetName } from './registry.js';
import { sortPrefix } from './sort-prefix.js';

const MS_PER_HOUR = 3_600_000;
const WINDOW_MS = 300_000;

export interface TimingColumns {
  session_duration_sec: Float64Array;
  total_interactions: Float64Array;
  avg_time_between_events: Float64Array;
  std_time_between_events: Float64Array;
  min_time_between_events: Float64Array;
  gap_median_sec: Float64Array;
  gap_cv: Float64Array;
  session_start_hour: Float64Array;
  interaction_velocity: Float64Array;
  max_velocity_5min: Float64Array;
}

/** Median of a[0, m) — sorts the scratch in place. */
function median(a: Float64Array, m: number): number {
  sortPrefix(a, m);
  return m % 2 === 1 ? a[(m - 1) >> 1]! : (a[m / 2 - 1]! + a[m / 2]!) / 2;
}

/** Largest number of events in a sliding window [t, t + 300 s) (two pointers over sorted times). */
function slidingMax(t: Float64Array, lo: number, hi: number): number {
  let best = 0;
  for (let i = lo, j = lo; i < hi; i++) {
    while (j < hi && t[j]! < t[i]! + WINDOW_MS) j++;
    if (j - i > best) best = j - i;
  }
  return best;
}

/** Largest number of events in one clock-aligned 5-minute bin (the original pipeline's velocity). */
function binnedMax(t: Float64Array, lo: number, hi: number): number {
  let best = 0;
  for (let i = lo; i < hi; ) {
    const bin = Math.floor(t[i]! / WINDOW_MS);
    let j = i + 1;
    while (j < hi && Math.floor(t[j]! / WINDOW_MS) === bin) j++;
    if (j - i > best) best = j - i;
    i = j;
  }
  return best;
}

/** Output columns and scratch kept between calls (serve computes one session per request into the same arrays). */
export interface TimingWorkspace {
  /** columns of at least nSessions entries */
  out: TimingColumns;
  scratch: Float64Array;
}

/** A workspace for `nSessions` sessions. @example computeTiming(t, starts, 1, 900, 'default', timingWorkspace(1)) */
export function timingWorkspace(nSessions: number): TimingWorkspace {
  const col = () => new Float64Array(nSessions);
  return {
    out: {
      session_duration_sec: col(), total_interactions: col(), avg_time_between_events: col(), std_time_between_events: col(),
      min_time_between_events: col(), gap_median_sec: col(), gap_cv: col(), session_start_hour: col(), interaction_velocity: col(), max_velocity_5min: col(),
    },
    scratch: new Float64Array(64),
  };
}

/**
 * Timing columns for every session from timestamps already in session order (written into `ws.out` when
 * a workspace is given).
 * @example computeTiming(gatherFloat(events.ts, order), starts, nSessions, 900, 'default')
 */
export function computeTiming(t: Float64Array, starts: Int32Array, nSessions: number, timeoutSec: number, set: FeatureSetName, ws = timingWorkspace(nSessions)): TimingColumns {
  const out = ws.out;
  const timeoutMs = timeoutSec * 1000;
  let scratch = ws.scratch;
  for (let s = 0; s < nSessions; s++) {
    const lo = starts[s]!, hi = starts[s + 1]!, n = hi - lo, m = n - 1;
    if (m > scratch.length) scratch = ws.scratch = new Float64Array(m * 2);
    let withinMs = 0, sum = 0, min = Infinity;
    for (let k = lo + 1; k < hi; k++) {
      const gapMs = t[k]! - t[k - 1]!;
      if (gapMs <= timeoutMs) withinMs += gapMs;
      const g = gapMs / 1000;
      scratch[k - lo - 1] = g;
      sum += g;
      if (g < min) min = g;
    }
    const duration = withinMs / 1000;
    const mean = m > 0 ? sum / m : NaN;
    let std = 0;
    if (m >= 2) {
      let ss = 0;
      for (let k = 0; k < m; k++) ss += (scratch[k]! - mean) ** 2;
      std = Math.sqrt(ss / (m - 1));
    }
    out.session_duration_sec[s] = duration;
    out.total_interactions[s] = n;
    out.avg_time_between_events[s] = mean;
    out.std_time_between_events[s] = std;
    out.min_time_between_events[s] = m > 0 ? min : NaN;
    out.gap_median_sec[s] = m > 0 ? median(scratch, m) : NaN;
    out.gap_cv[s] = m > 0 && mean !== 0 ? std / mean : NaN;
    const hour = Math.floor(t[lo]! / MS_PER_HOUR) % 24;
    out.session_start_hour[s] = hour < 0 ? hour + 24 : hour;
    out.interaction_velocity[s] = duration > 0 ? (n / duration) * 60 : 0;
    out.max_velocity_5min[s] = set === 'original' ? binnedMax(t, lo, hi) : slidingMax(t, lo, hi);
  }
  return out;
}
