import { encodeAnthropicError } from "../../../providers/anthropic/wire/encode-anthropic-error.js";
import { SIMULATED, type WireResponse } from "../wire-format.js";

/** An error response in Anthropic's shape, with the `request-id` header once there is an id. */
export function anthropicError(status: number, type: string, message: string, requestId?: string): WireResponse {
  return {
    status,
    body: encodeAnthropicError(type, message, requestId),
    headers: requestId === undefined ? undefined : { "request-id": requestId },
  };
}

export const anthropicInvalidRequest = (message: string): WireResponse => anthropicError(400, "invalid_request_error", message);

/** The event after which a stream ends when the API is overloaded mid-answer (WIRE §3.4). */
export const ANTHROPIC_OVERLOADED_EVENT = encodeAnthropicError("overloaded_error", `${SIMULATED}Overloaded`);
