/** Exit-code classes of docs/contract.md §6. Only the CLI entry point turns these into `process.exit`. */
export const EXIT = { ok: 0, internal: 1, usage: 2, data: 3, gate: 4 } as const;

/** Base class for failures a user can act on: printed as one line, no stack trace. */
export class PhantomError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flag, unreadable or malformed input file: exit 2. */
export class UsageError extends PhantomError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** Bad records under `--strict`: exit 3. */
export class DataError extends PhantomError {
  constructor(message: string) {
    super(message, EXIT.data);
  }
}

/** A quality gate failed (`--fail-under-auc`, `--fail-if-p-above`, …): exit 4. */
export class GateFailed extends PhantomError {
  constructor(message: string) {
    super(message, EXIT.gate);
  }
}
