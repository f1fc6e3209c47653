/**
 * Whether a stream is a terminal we can draw on. A pseudo-terminal that reports 0×0 (`script -qfc`, some
 * CI runners, `docker exec -t`) is a terminal without a usable width: spinners and box art there write
 * cursor codes forever, so it is treated like a pipe (plain lines).
 */

/** Narrower than this, a spinner line or a boxed table cannot be drawn. */
export const MIN_TERMINAL_COLUMNS = 20;

/**
 * True when `stream` is a TTY that reports a usable width.
 * @example if (usableTerminal(process.stderr)) startSpinner();
 */
export function usableTerminal(stream: { isTTY?: boolean; columns?: number }): boolean {
  return Boolean(stream.isTTY) && typeof stream.columns === 'number' && stream.columns >= MIN_TERMINAL_COLUMNS;
}
