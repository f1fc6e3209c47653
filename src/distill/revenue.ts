/**
 * Revenue impact on the dataset (docs/distill.md): what the sessions' purchases would have brought at the teacher's
 * and at the student's markups, against the prices they saw. Static-demand accounting: purchases are kept
 * as they happened (no demand response to the markup), so the numbers bound the impact, they do not
 * forecast it. Split by class when labels exist, because the point of the markup is who pays it.
 */

export interface RevenueLine {
  sessions: number;
  baseRevenue: number;
  teacherRevenue: number;
  studentRevenue: number;
  /** teacherRevenue / baseRevenue − 1 (null when baseRevenue is 0) */
  teacherChange: number | null;
  studentChange: number | null;
}

/** How every revenue figure is labelled (text, JSON, report): purchases kept at any markup. */
export const STATIC_DEMAND_LABEL = 'static demand (upper bound)';

export interface RevenueImpact extends RevenueLine {
  /** STATIC_DEMAND_LABEL */
  label: string;
  priceColumn: string;
  /** 'purchased sessions' weights each session by its purchased label; 'all sessions' counts every session once */
  basis: 'purchased sessions' | 'all sessions';
  assumption: string;
  byClass: { human: RevenueLine; agent: RevenueLine } | null;
}

export interface RevenueInput {
  priceColumn: string;
  price: Float64Array;
  /** 0/1 per session (NaN = unknown, left out); null → every session counts once */
  purchased: Float64Array | null;
  isAgent: Int8Array | null;
  teacher: Float64Array;
  student: Float64Array;
}

function line(input: RevenueInput, keep: (i: number) => boolean): RevenueLine {
  let sessions = 0, base = 0, teacher = 0, student = 0;
  const { price, purchased } = input;
  for (let i = 0; i < price.length; i++) {
    const w = purchased === null ? 1 : purchased[i]!;
    const p = price[i]!, t = input.teacher[i]!, s = input.student[i]!;
    if (!(w > 0) || p !== p || t !== t || s !== s || !keep(i)) continue;
    sessions++;
    base += w * p;
    teacher += w * p * t;
    student += w * p * s;
  }
  return {
    sessions, baseRevenue: base, teacherRevenue: teacher, studentRevenue: student,
    teacherChange: base > 0 ? teacher / base - 1 : null, studentChange: base > 0 ? student / base - 1 : null,
  };
}

/**
 * Revenue at markup 1, at the teacher's markup and at the student's, over sessions with a price.
 * @example revenueImpact({ priceColumn: 'avg_price_seen', price, purchased, isAgent, teacher, student }).studentChange
 */
export function revenueImpact(input: RevenueInput): RevenueImpact {
  const isAgent = input.isAgent;
  return {
    label: STATIC_DEMAND_LABEL, priceColumn: input.priceColumn,
    basis: input.purchased === null ? 'all sessions' : 'purchased sessions',
    assumption: 'static demand: every purchase is kept at the marked-up price (an upper bound, not a forecast)',
    ...line(input, () => true),
    byClass: isAgent === null ? null : {
      human: line(input, (i) => isAgent[i] === 0),
      agent: line(input, (i) => isAgent[i] === 1),
    },
  };
}
