import { ProviderError } from "../../core/index.js";

/** Enough of a bad chunk to recognise it in a log line. */
const SNIPPET_LENGTH = 200;

/**
 * The `invalid_response` for stream data an adapter cannot read (a chunk, event, line or payload that
 * is not the JSON it should be): `what` is wrong, then the start of the data as it arrived.
 */
export function invalidStreamData(provider: string, what: string, data: string, cause?: unknown): ProviderError {
  return new ProviderError({
    kind: "invalid_response",
    provider,
    message: `${what}: ${data.length > SNIPPET_LENGTH ? `${data.slice(0, SNIPPET_LENGTH)}…` : data}`,
    cause,
  });
}
