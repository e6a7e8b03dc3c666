/** One server-sent event. `event` is absent when the server sent no `event:` line. */
export interface SseEvent {
  event?: string | undefined;
  data: string;
  id?: string | undefined;
}

/** The stream broke the SSE framing in a way we refuse to buffer (a runaway line or event). */
export class SseError extends Error {
  override readonly name = "SseError";

  static isInstance(error: unknown): error is SseError {
    return error instanceof SseError;
  }
}
