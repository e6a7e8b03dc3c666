import type { IncomingHttpHeaders } from "node:http";
import { SIMULATED, type WireFormat, type WireResponse } from "../wire-format.js";
import { formatUuid } from "../../format-uuid.js";
import { bedrockError, bedrockValidation } from "./bedrock-error.js";
import { encodeBedrockFrame } from "../../../providers/bedrock/wire/encode-bedrock-frame.js";
import { encodeBedrockGarbageResponse, encodeBedrockResponse } from "../../../providers/bedrock/wire/encode-bedrock-response.js";
import { encodeBedrockStream } from "../../../providers/bedrock/wire/encode-bedrock-stream.js";
import { bedrockAnswer } from "./bedrock-answer.js";
import { parseBedrockRequest } from "./parse-bedrock-request.js";

const UNAVAILABLE_MESSAGE = SIMULATED + "Bedrock is unable to process your request.";

/**
 * A SigV4-shaped `authorization` plus `x-amz-date` always passes (the signature is not checked:
 * adapters sign with whatever credentials they hold); so does a Bedrock API key sent as a Bearer
 * token, which must equal the configured key when there is one.
 */
function authorizeAws(headers: IncomingHttpHeaders, apiKey: string | undefined): WireResponse | undefined {
  const authorization = headers.authorization;
  if (authorization === undefined || authorization === "") {
    return bedrockError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  if (authorization.startsWith("AWS4-HMAC-SHA256 ")) {
    if (typeof headers["x-amz-date"] === "string") return undefined;
    return bedrockError(403, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (authorization.startsWith("Bearer ") && (apiKey === undefined || authorization === `Bearer ${apiKey}`)) return undefined;
  return bedrockError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
}

/** Bedrock Runtime Converse (WIRE §5): `POST /model/{id}/converse` and `/converse-stream`, through the Bedrock codec (`src/providers/bedrock/wire/`). */
export const bedrockWire: WireFormat = {
  authorize: (headers, _route, apiKey) => authorizeAws(headers, apiKey),
  profileNotFound: (profile) => bedrockError(404, "ResourceNotFoundException", `Could not resolve the foundation model from the model identifier ${profile}.`),
  invalidJson: () => bedrockValidation("Malformed input request, please reformat your input and try again."),
  parse: parseBedrockRequest,
  failure(kind, { requestHex }) {
    const requestId = formatUuid(requestHex);
    if (kind === "serverError") return bedrockError(500, "InternalServerException", SIMULATED + "The server encountered an internal error while processing the request.", requestId);
    if (kind === "unavailable") return bedrockError(503, "ServiceUnavailableException", UNAVAILABLE_MESSAGE, requestId);
    // No retry hint: AWS SDKs back off on their own (WIRE §8.4).
    return bedrockError(429, "ThrottlingException", SIMULATED + "Too many requests, please wait before trying again.", requestId);
  },
  successHeaders: ({ requestHex }) => ({ "x-amzn-RequestId": formatUuid(requestHex) }),
  bodyContentType: "application/json",
  renderBody: (plan, context) => encodeBedrockResponse(bedrockAnswer(plan, context)),
  garbageBody: encodeBedrockGarbageResponse,
  streamContentType: () => "application/vnd.amazon.eventstream",
  renderStream: (plan, context) => encodeBedrockStream(bedrockAnswer(plan, context)),
  // A well-framed event (valid CRCs) whose payload is not JSON.
  garbageEvent: () => encodeBedrockFrame("event", "contentBlockDelta", "{not json"),
  errorEvent: () => encodeBedrockFrame("exception", "serviceUnavailableException", `{"message":"${UNAVAILABLE_MESSAGE}"}`),
};
