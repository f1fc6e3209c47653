/**
 * ora, loaded on the first spinner (docs/perf/startup-imports.md). ora and its 20-odd modules (chalk,
 * string-width, …) cost ~0.06 s of CPU at import, yet a spinner is drawn only on an interactive stderr:
 * pipes, CI logs and benchmarks never need it. Node ≥ 20.19 loads an ES module with require(), so the
 * spinner still starts synchronously; on an older Node, where it cannot, progress falls back to plain lines.
 */
import { createRequire } from 'node:module';
import type { Options, Ora } from 'ora';

type OraFn = (options?: string | Options) => Ora;
let loaded: OraFn | null | undefined;

function load(): OraFn | null {
  if (loaded === undefined) {
    try {
      loaded = (createRequire(import.meta.url)('ora') as { default: OraFn }).default;
    } catch {
      loaded = null; // Node < 20.19: require() of an ES module is not available
    }
  }
  return loaded;
}

/** ora's spinner, or (when ora cannot be loaded synchronously) a stand-in that prints the final line only. */
export default function ora(options?: string | Options): Ora {
  const real = load();
  if (real !== null) return real(options);
  const stream = (typeof options === 'object' ? options.stream : undefined) ?? process.stderr;
  const plain = {
    text: '',
    start: () => plain,
    stop: () => plain,
    succeed: (text?: string) => {
      stream.write(`${text ?? plain.text}\n`);
      return plain;
    },
  };
  return plain as unknown as Ora;
}
