// Types of bench/gate.mjs for test/bench/gate.test.ts (the bench scripts are plain JavaScript).
export declare const EXIT: { ok: 0; failed: 1; usage: 2; regression: 4 };
export declare class BenchUsageError extends Error {}
export declare const README_START: string;
export declare const README_END: string;
export interface BenchOptions { check: boolean; readme: boolean; short: boolean; help: boolean; runs: number; only: string[]; names: string[]; runBenches: boolean }
export interface Measured { values: number[]; reference: string; loads?: number[] }
export interface Target { baseline: number; goal?: number; noise?: number; gated?: boolean; measured?: string }
export interface Targets { noise: number; ratios: Record<string, Target>; short?: { noise?: number; args: Record<string, string[]>; ratios: Record<string, Target> } }
export interface Verdict { key: string; median: number; values: number[]; reference: string; loads: number[]; baseline: number | null; noise: number; limit: number | null; goal: number | null; gated: boolean; verdict: string }
export interface ResultEntry { median: number; values: number[]; runs: number; reference: string; date: string; load1: number[]; args: string[]; baseline: number | null; limit: number | null; goal: number | null; verdict: string }
export interface Results { about: string; full: Record<string, ResultEntry>; short: Record<string, ResultEntry> }
export declare function median(xs: number[]): number;
export declare function parseArgs(argv: string[]): BenchOptions;
export declare function planRuns(available: string[], opts: BenchOptions, shortArgs?: Record<string, string[]>): { bench: string; args: string[] }[];
export declare function judge(measured: Record<string, Measured>, targets: Targets, mode?: 'full' | 'short', cores?: number): Verdict[];
export declare function exitCode(rows: Verdict[], failures: string[], check: boolean): number;
export declare function mergeResults(previous: Results | null, rows: Verdict[], meta: { date: string; mode: 'full' | 'short'; runs: number; argsOf: (bench: string) => string[] }): Results;
export declare function readmeTable(results: Results, targets: Targets): string;
export declare function replaceBetweenMarkers(text: string, body: string): string;
