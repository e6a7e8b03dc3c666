import { ollamaError } from "../../../providers/ollama/wire/ollama-error.js";
import { parseOllamaRequest } from "../../../providers/ollama/wire/parse-ollama-request.js";
import { renderOllamaBody } from "../../../providers/ollama/wire/render-ollama-body.js";
import { renderOllamaStream } from "../../../providers/ollama/wire/render-ollama-stream.js";
import { SIMULATED, type WireFormat } from "../wire-format.js";

/** What a runner crash mid-generation looks like, as a response and as a stream line. */
const OLLAMA_RUNNER_ERROR = SIMULATED + "an error was encountered while running the model: unexpected EOF";

const NO_HEADERS: Readonly<Record<string, string>> = {};

/**
 * Ollama's native chat (WIRE §6.1): `POST /api/chat`. A local Ollama has no auth; with an
 * apiKey configured the simulator stands in for one behind a proxy and wants a Bearer token.
 */
export const ollamaWire: WireFormat = {
  authorize: (headers, _route, apiKey) =>
    apiKey === undefined || headers.authorization === `Bearer ${apiKey}` ? undefined : ollamaError(401, "unauthorized"),
  profileNotFound: (profile) => ollamaError(404, `model "${profile}" not found, try pulling it first`),
  invalidJson: () => ollamaError(400, "invalid character in request body: not valid JSON"),
  parse: (body) => parseOllamaRequest(body),
  failure(kind) {
    if (kind === "serverError") return ollamaError(500, OLLAMA_RUNNER_ERROR);
    if (kind === "unavailable") return ollamaError(503, SIMULATED + "server busy, please try again.  maximum pending requests exceeded");
    return ollamaError(429, SIMULATED + "too many requests, please try again later");
  },
  successHeaders: () => NO_HEADERS,
  bodyContentType: "application/json; charset=utf-8",
  renderBody: renderOllamaBody,
  garbageBody: (plan) => `{"model":${JSON.stringify(plan.model)},"message":{"role":"assist<<garbage>>`,
  streamContentType: () => "application/x-ndjson",
  renderStream: renderOllamaStream,
  garbageEvent: () => "{not json\n",
  errorEvent: () => `${ollamaError(500, OLLAMA_RUNNER_ERROR).body}\n`,
};
