// Types of bench/ratios.mjs for test/bench/gate.test.ts.
export interface BenchJson { bench: string; [field: string]: unknown }
export declare function ratiosOf(json: BenchJson): Record<string, { value: number; reference: string }>;
export declare function lastBenchJson(stdout: string): BenchJson | null;
