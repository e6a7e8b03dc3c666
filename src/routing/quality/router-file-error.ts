/**
 * A router file that cannot be used: missing, not JSON, another format or version, or fields out
 * of shape. `file` is the path as given; the gateway reports it under the config path that names it.
 */
export class RouterFileError extends Error {
  override readonly name = "RouterFileError";
  constructor(readonly file: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`router file ${file}: ${reason}`, options);
  }

  static isInstance(error: unknown): error is RouterFileError {
    return error instanceof RouterFileError;
  }
}
