/**
 * What phantom records about itself in the files it writes: the command line (secrets masked) and its
 * package version. One module, so every footer, model and report says the same thing the same way.
 */
import { readFileSync } from 'node:fs';
import { maskSecrets } from './mask-secrets.js';

/**
 * The command line as recorded in file metadata, secrets masked (src/io/mask-secrets.ts).
 * @example commandLine() // 'phantom export --from supabase --database-url postgres://app:***@db/shop …'
 */
export function commandLine(): string {
  return maskSecrets(['phantom', ...process.argv.slice(2)].join(' '));
}

let version: string | null = null;
/**
 * phantom's package version (package.json), as `phantom --version` prints it and models and reports record it.
 * @example phantomVersion() // '0.1.0'
 */
export function phantomVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
