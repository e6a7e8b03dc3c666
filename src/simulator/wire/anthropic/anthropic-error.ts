import { SIMULATED, type WireResponse } from "../wire-format.js";

/**
 * Errors in Anthropic's shape (WIRE §3.5): `{"type":"error","error":{type,message},"request_id"}`;
 * `request_id` only once the request has one (refusals before parsing go without, like older responses).
 */
export function anthropicError(status: number, type: string, message: string, requestId?: string): WireResponse {
  const id = requestId === undefined ? "" : `,"request_id":"${requestId}"`;
  return {
    status,
    body: `{"type":"error","error":{"type":"${type}","message":${JSON.stringify(message)}}${id}}`,
    headers: requestId === undefined ? undefined : { "request-id": requestId },
  };
}

export const anthropicInvalidRequest = (message: string): WireResponse => anthropicError(400, "invalid_request_error", message);

/** The event after which a stream ends when the API is overloaded mid-answer (WIRE §3.4). */
export const ANTHROPIC_OVERLOADED_EVENT = `{"type":"error","error":{"type":"overloaded_error","message":"${SIMULATED}Overloaded"}}`;
