import { openAIError, type OpenAIErrorResponse } from "../../../providers/openai/wire/openai-error.js";
import { SIMULATED } from "../wire-format.js";

/** The failures the simulator makes up, in OpenAI's error shape and the real API's wording (Azure sends the same for 500 and 503). */
export const rateLimited = (model: string, limit: number, retryAfterMs: number): OpenAIErrorResponse =>
  openAIError(
    429,
    `${SIMULATED}Rate limit reached for ${model} in organization org-simulator on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${retryAfterMs}ms. Visit https://platform.openai.com/account/rate-limits to learn more.`,
    "requests",
    null,
    "rate_limit_exceeded",
  );

export const serverError = (): OpenAIErrorResponse =>
  openAIError(500, SIMULATED + "The server had an error while processing your request. Sorry about that!", "server_error");

export const engineOverloaded = (): OpenAIErrorResponse =>
  openAIError(503, SIMULATED + "The engine is currently overloaded, please try again later", "server_error");
