/**
 * The error a database or REST source throws when the server fails after reading began (connection
 * lost, server killed, backend terminated, repeated HTTP errors). Those sources commit nothing
 * anywhere, so the caller's only duty is to discard what it wrote from the batches it received.
 */
import { EXIT, PhantomError } from '../errors.js';

/**
 * The read stopped early: the batches delivered before it are not the whole table. Exit code 1.
 * @example try { for await (const b of readPostgres(o)) … } catch (e) { if (e instanceof SourceFailed) discardTemp(); throw e; }
 */
export class SourceFailed extends PhantomError {
  constructor(
    message: string,
    /** Rows delivered in batches before the failure (all of them must be treated as not exported). */
    readonly rowsDelivered: number,
  ) {
    super(message, EXIT.internal);
  }
}
