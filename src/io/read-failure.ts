/**
 * Why an input file could not be read, in the words of the product's messages (docs/contract.md §6): a
 * missing path, a folder where a file is needed, no permission; a JSON parse error keeps its own text.
 */

/**
 * The reason to print after `<flag> <path>: `.
 * @example throw new UsageError(`--config ${path}: ${readFailure(err)}`) // "--config x.json: no such file"
 */
export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder; give a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}
