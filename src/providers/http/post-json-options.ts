import type { ProviderCallOptions } from "../spec.js";
import type { PostJsonOptions } from "./create-http-client.js";

export interface PostJsonOptionsInput {
  provider: string;
  /** The headers to send, complete: the call's own headers are already in them. */
  headers: Record<string, string>;
  /** What the router passed for this attempt. */
  call: ProviderCallOptions | undefined;
  /** Whether the answer is a stream. */
  stream: boolean;
}

/**
 * How one attempt's options become the HTTP client's. A stream's deadline covers only the wait
 * for its headers, since a long answer may legitimately keep streaming well past it; a plain
 * call's covers the whole response. Shared so every adapter applies that rule the same way.
 */
export function postJsonOptions(input: PostJsonOptionsInput): PostJsonOptions {
  const { provider, headers, call, stream } = input;
  // Every field present (undefined when the call has none): one shape for every call.
  return {
    provider,
    headers,
    signal: call?.signal,
    timeoutMs: call?.timeoutMs,
    timeoutScope: stream ? "headers" : "response",
    queueTimeoutMs: call?.queueTimeoutMs,
    onWaiting: call?.onWaiting,
    onSent: call?.onSent,
  };
}
