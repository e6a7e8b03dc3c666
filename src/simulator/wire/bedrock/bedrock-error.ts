import { encodeBedrockError } from "../../../providers/bedrock/wire/encode-bedrock-error.js";
import type { WireResponse } from "../wire-format.js";

/** An error response in Bedrock's rest-json shape (the Bedrock codec's `encodeBedrockError`). */
export function bedrockError(status: number, type: string, message: string, requestId?: string): WireResponse {
  return { status, ...encodeBedrockError(type, message, requestId) };
}

export const bedrockValidation = (message: string): WireResponse => bedrockError(400, "ValidationException", message);
