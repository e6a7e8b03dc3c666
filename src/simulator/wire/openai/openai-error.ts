import { SIMULATED } from "../wire-format.js";

/**
 * Error responses in OpenAI's shape (WIRE §1.6): all four keys present, `param`/`code` nullable.
 * Messages copy the real API's wording so clients that log them look familiar.
 */
export interface SimulatorErrorResponse {
  status: number;
  /** Serialized `{"error":{message,type,param,code}}`. */
  body: string;
  headers?: Record<string, string>;
}

export function openAIError(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): SimulatorErrorResponse {
  return { status, body: JSON.stringify({ error: { message, type, param, code } }) };
}

export const invalidUrl = (method: string, path: string): SimulatorErrorResponse =>
  openAIError(404, `Invalid URL (${method} ${path})`, "invalid_request_error");

export const modelNotFound = (name: string): SimulatorErrorResponse =>
  openAIError(
    404,
    `The model \`${name}\` does not exist or you do not have access to it.`,
    "invalid_request_error",
    null,
    "model_not_found",
  );

export function invalidApiKey(authorization: string | undefined): SimulatorErrorResponse {
  const key = authorization?.replace(/^Bearer\s+/i, "") ?? "";
  const message =
    key === ""
      ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
      : `Incorrect API key provided: ${key.slice(0, 3)}…${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  return openAIError(401, message, "invalid_request_error", null, "invalid_api_key");
}

export const invalidJson = (): SimulatorErrorResponse =>
  openAIError(
    400,
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    "invalid_request_error",
  );

export const invalidParameter = (param: string, message: string, code: string | null = null): SimulatorErrorResponse =>
  openAIError(400, message, "invalid_request_error", param, code);

export const rateLimited = (model: string, limit: number, retryAfterMs: number): SimulatorErrorResponse =>
  openAIError(
    429,
    `${SIMULATED}Rate limit reached for ${model} in organization org-simulator on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${retryAfterMs}ms. Visit https://platform.openai.com/account/rate-limits to learn more.`,
    "requests",
    null,
    "rate_limit_exceeded",
  );

export const serverError = (): SimulatorErrorResponse =>
  openAIError(500, SIMULATED + "The server had an error while processing your request. Sorry about that!", "server_error");

export const engineOverloaded = (): SimulatorErrorResponse =>
  openAIError(503, SIMULATED + "The engine is currently overloaded, please try again later", "server_error");
