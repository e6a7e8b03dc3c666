import type { WireResponse } from "../wire-format.js";

/**
 * A rest-json error (WIRE §5.4): body `{"message":…}`, the exception name in `x-amzn-ErrorType`
 * (with the coral namespace suffix SDKs strip), and the request id when there is one.
 */
export function bedrockError(status: number, type: string, message: string, requestId?: string): WireResponse {
  const headers: Record<string, string> = { "x-amzn-ErrorType": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` };
  if (requestId !== undefined) headers["x-amzn-RequestId"] = requestId;
  return { status, body: `{"message":${JSON.stringify(message)}}`, headers };
}

export const bedrockValidation = (message: string): WireResponse => bedrockError(400, "ValidationException", message);
