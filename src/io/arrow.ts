/**
 * The one door to apache-arrow (docs/perf/startup-imports.md). `import 'apache-arrow'` resolves to its
 * ESM tree: ~146 modules, ~0.13 s of CPU to load in every command that touches a table. The package
 * also ships the same library as one pre-built file (Arrow.esnext.min.js, same version, same public
 * API), which loads in ~0.02 s. Every module of src/ imports Arrow from here; scripts/check-layers.mjs
 * rejects any other value import of 'apache-arrow' (type-only imports are free and allowed).
 *
 * Values come from the single-file build; types stay those of 'apache-arrow', so the compiler checks
 * exactly what it checked before. Only public API is used: the single-file build renames private
 * members (`_offsets`, `_nullCount`), never public ones (`data`, `values`, `valueOffsets`, `typeId`).
 * Add a name here (value and type) when a module needs one that is missing.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: the type defaults repeat apache-arrow's own (`= any`), so types are unchanged
import { createRequire } from 'node:module';
import type * as A from 'apache-arrow';

// the package's `exports` map "./*" to "./*.js" for require: this is node_modules/apache-arrow/Arrow.esnext.min.js
const arrow = createRequire(import.meta.url)('apache-arrow/Arrow.esnext.min') as typeof A;

// classes and enums: a value (from the single-file build) and a type (from the typings) of the same name
export const Data = arrow.Data;
export type Data<T extends A.DataType = A.DataType> = A.Data<T>;
export const DataType = arrow.DataType;
export type DataType<T extends A.Type = A.Type, C extends A.TypeMap = any> = A.DataType<T, C>;
export const Vector = arrow.Vector;
export type Vector<T extends A.DataType = any> = A.Vector<T>;
export const RecordBatch = arrow.RecordBatch;
export type RecordBatch<T extends A.TypeMap = any> = A.RecordBatch<T>;
export const Table = arrow.Table;
export type Table<T extends A.TypeMap = any> = A.Table<T>;
export const Schema = arrow.Schema;
export type Schema<T extends A.TypeMap = any> = A.Schema<T>;
export const Field = arrow.Field;
export type Field<T extends A.DataType = any> = A.Field<T>;
export const Bool = arrow.Bool;
export type Bool = A.Bool;
export const Int8 = arrow.Int8;
export type Int8 = A.Int8;
export const Int32 = arrow.Int32;
export type Int32 = A.Int32;
export const Int64 = arrow.Int64;
export type Int64 = A.Int64;
export const Uint32 = arrow.Uint32;
export type Uint32 = A.Uint32;
export const Float32 = arrow.Float32;
export type Float32 = A.Float32;
export const Float64 = arrow.Float64;
export type Float64 = A.Float64;
export const Utf8 = arrow.Utf8;
export type Utf8 = A.Utf8;
export const TimestampMillisecond = arrow.TimestampMillisecond;
export type TimestampMillisecond = A.TimestampMillisecond;
export const Dictionary = arrow.Dictionary;
/** Dictionary key types, as in apache-arrow's type.d.ts (not re-exported by its index). */
type TKeys = A.Int8 | A.Int16 | A.Int32 | A.Uint8 | A.Uint16 | A.Uint32;
export type Dictionary<T extends A.DataType = any, K extends TKeys = TKeys> = A.Dictionary<T, K>;
export const Struct = arrow.Struct;
export type Struct<T extends A.TypeMap = any> = A.Struct<T>;
export const Type = arrow.Type;
export type Type = A.Type;
export const TimeUnit = arrow.TimeUnit;
export type TimeUnit = A.TimeUnit;
export const Precision = arrow.Precision;
export type Precision = A.Precision;
export type TypeMap = A.TypeMap;

// functions
export const makeData = arrow.makeData;
export const makeVector = arrow.makeVector;
export const vectorFromArray = arrow.vectorFromArray;
export const tableFromIPC = arrow.tableFromIPC;
export const tableToIPC = arrow.tableToIPC;
