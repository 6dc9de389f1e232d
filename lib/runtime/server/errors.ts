/**
 * Errors with the HTTP status Nomad gives them (`structs.NewErrRPCCoded`,
 * `CodedError` in `command/agent/http.go`). The message is the plain-text
 * body of the response.
 */

/** An error that maps to an HTTP status code. */
export class CodedError extends Error {
  /** The HTTP status: 400 bad request, 403, 404 not found, 405 bad method, 413, 500. */
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.name = "CodedError";
    this.code = code;
  }
}

/** 400. */
export function badRequest(message: string): CodedError {
  return new CodedError(400, message);
}

/** 404. */
export function notFound(message: string): CodedError {
  return new CodedError(404, message);
}

/**
 * A multi-error rendered as hashicorp/go-multierror does:
 * `N errors occurred:\n\t* first\n\t* second\n\n` ("1 error occurred:" for one).
 */
export function formatMultiError(messages: readonly string[]): string {
  const head = messages.length === 1 ? "1 error occurred:" : `${messages.length} errors occurred:`;
  return `${head}\n${messages.map((m) => `\t* ${m}`).join("\n")}\n\n`;
}
