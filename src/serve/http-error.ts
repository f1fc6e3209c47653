/**
 * Expected request failures: a status, a stable machine-readable code and a message a client can act on.
 * Handlers throw these; the server turns them into `{ error: { code, message } }` with the status.
 */

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

/** 400 with every validation problem listed, each with its path. @example badRequest('invalid_body', ['basePrice: expected a number']) */
export function badRequest(code: string, problems: readonly string[]): HttpError {
  return new HttpError(400, code, problems.join('; '));
}
