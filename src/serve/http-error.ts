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

/**
 * Text safe to put in an error message: control and non-printable characters (binary input) shown as
 * escapes, never raw, and at most `max` characters.
 * @example printable('bad \u0000 byte') // 'bad \\u0000 byte'
 */
export function printable(text: string, max = 300): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff\ud800-\udfff]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length <= max ? clean : `${clean.slice(0, max)}…`;
}
