/**
 * CSV input (RFC 4180: quoted fields, escaped quotes, newlines inside quotes), streamed row by row.
 * `eventRecordFromCsv` turns a row of the flat event columns into an event object: `metadata_<key>`
 * columns are gathered into `metadata` (numbers parsed), a `metadata` column holding JSON is parsed,
 * empty cells are null.
 */
import { createReadStream } from 'node:fs';

/** Rows of a CSV file as arrays of strings, header included. */
export async function* readCsvRows(path: string): AsyncGenerator<string[]> {
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let pendingQuote = false;
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    const text = chunk as string;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (pendingQuote) {
          pendingQuote = false;
          if (ch === '"') {
            field += '"';
            continue;
          }
          quoted = false;
        } else if (ch === '"') {
          pendingQuote = true;
          continue;
        } else {
          field += ch;
          continue;
        }
      }
      if (ch === '"' && field === '') quoted = true;
      else if (ch === ',') {
        row.push(field);
        field = '';
      } else if (ch === '\n') {
        row.push(field.endsWith('\r') ? field.slice(0, -1) : field);
        yield row;
        row = [];
        field = '';
      } else field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    yield row;
  }
}

function cell(value: string): string | number | boolean | null {
  if (value === '') return null;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

const STRING_COLUMNS = new Set(['sessionId', 'experimentId', 'eventName', 'page', 'productId', 'storeMode', 'userAgent']);

/** One CSV row (with its header) → a flat event object. */
export function eventRecordFromCsv(header: string[], values: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let meta: Record<string, unknown> | null = null;
  header.forEach((name, k) => {
    const raw = values[k] ?? '';
    if (name.startsWith('metadata_')) {
      const v = cell(raw);
      if (v !== null) (meta ??= {})[name.slice('metadata_'.length)] = v;
    } else if (name === 'metadata') {
      if (raw.trim() !== '') {
        try {
          out['metadata'] = JSON.parse(raw);
        } catch {
          out['metadata'] = raw;
        }
      }
    } else if (STRING_COLUMNS.has(name)) {
      out[name] = raw === '' ? null : raw;
    } else if (name === 'ts') {
      out[name] = raw === '' ? undefined : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    } else {
      out[name] = cell(raw);
    }
  });
  if (meta !== null) out['metadata'] = { ...(out['metadata'] as object | undefined), ...(meta as object) };
  return out;
}

/**
 * A file's header as a message can show it: the names, cut at 200 characters; a binary file's first "line"
 * is not echoed to the terminal.
 * @example throw new UsageError(`${path}: needs an id column; found ${printableHeader(header)}`)
 */
export function printableHeader(names: readonly string[]): string {
  const text = names.join(', ').slice(0, 200);
  return /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/.test(text) ? 'binary content, not a text table' : text;
}
