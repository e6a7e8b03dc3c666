import type { ErrorBodySource } from "./parse-error-body.js";
import type { HttpHeaders } from "./read-header.js";

/**
 * What every provider's error classifier is given, whether the error came as an HTTP error
 * response or inside a 200 stream. One shape lets adapters hand any classifier the same
 * input (assertOkResponse's ErrorResponse plus the provider name).
 */
export interface ClassifierInput extends ErrorBodySource {
  provider: string;
  /** Absent for an error inside a 200 stream (an error event, line or exception frame). */
  status?: number;
  headers?: HttpHeaders;
  /** Clock for turning an HTTP-date `retry-after` into a duration (tests pin it). */
  now?: () => number;
}
