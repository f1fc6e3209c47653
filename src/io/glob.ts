/**
 * Minimal glob expansion for input paths (Node 20 has no fs.glob): `*` and `?` within a path segment,
 * `**` across directories, `{a,b}` alternatives. Results are sorted.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** Regular expression for a glob pattern over '/'-separated paths. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += pattern[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      const alts = pattern.slice(i + 1, end).split(',').map((a) => a.replace(/[.+^$()|[\]\\]/g, '\\$&'));
      re += `(?:${alts.join('|')})`;
      i = end;
    } else re += /[.+^$()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${re}$`);
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** Files matching a glob. @example await expandGlob('data/**\/*.jsonl') */
export async function expandGlob(pattern: string): Promise<string[]> {
  const norm = pattern.split(sep).join('/');
  const parts = norm.split('/');
  const firstGlob = parts.findIndex((p) => /[*?{]/.test(p));
  const base = firstGlob <= 0 ? (norm.startsWith('/') ? '/' : '.') : parts.slice(0, firstGlob).join('/') || '/';
  const files: string[] = [];
  await walk(base, files);
  const re = globToRegExp(norm.startsWith('./') ? norm.slice(2) : norm);
  return files
    .map((f) => f.split(sep).join('/'))
    .filter((f) => re.test(f) || re.test(f.startsWith('./') ? f.slice(2) : f))
    .sort();
}
