import { Buffer } from "node:buffer";
import { badInput } from "../core/index.js";
import type { CompletionCommand } from "./completion-types.js";
import { jsonDepth } from "./json-depth.js";
import { REQUEST_LIMITS } from "./request-limits.js";

/** NUL (Postgres text and jsonb refuse it) or a UTF-16 surrogate without its pair (not encodable as UTF-8). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The door both transports (GraphQL `complete`/`completionStream`, `POST /v1/chat/completions`) pass
 * through before a call is routed, charged or recorded: every field that reaches the call row (or an
 * error message kept in it) must be storable, and JSON values bounded in depth and size. Refuses with
 * BAD_USER_INPUT naming the field; a refused request leaves no row (there is nothing storable to keep).
 *
 * Message contents, tool descriptions and tool-call arguments are only sent upstream and never stored:
 * they are passed as they are (a provider that refuses them answers with its own, recorded, error).
 */
export function validateCallFields(command: CompletionCommand): void {
  const { request } = command;
  checkName(request.model, "model");
  if (request.user !== undefined) checkText(request.user, "user", REQUEST_LIMITS.userChars);
  if (command.metadata != null) checkMetadata(command.metadata);
  if (command.routing?.strategy !== undefined) checkName(command.routing.strategy, "routing.strategy");
  command.routing?.fallbacks?.forEach((name, i) => checkName(name, `routing.fallbacks[${i}]`));
  request.messages.forEach((message, i) => {
    if (message.name !== undefined) checkName(message.name, `messages[${i}].name`);
    if (message.toolCallId !== undefined) checkName(message.toolCallId, `messages[${i}].toolCallId`);
    message.toolCalls?.forEach((call, j) => {
      checkName(call.id, `messages[${i}].toolCalls[${j}].id`);
      checkName(call.name, `messages[${i}].toolCalls[${j}].name`);
    });
  });
  request.tools?.forEach((tool, i) => {
    checkName(tool.name, `tools[${i}].name`);
    if (tool.parameters !== undefined) checkDepth(tool.parameters, `tools[${i}].parameters`, REQUEST_LIMITS.schemaDepth);
  });
  if (typeof request.toolChoice === "object") checkName(request.toolChoice.name, "toolChoice");
  if (request.responseFormat?.type === "json_schema") {
    checkName(request.responseFormat.name, "responseFormat.name");
    checkDepth(request.responseFormat.schema, "responseFormat.schema", REQUEST_LIMITS.schemaDepth);
  }
}

/** Refuses a JSON value nested deeper than `limit`; callers that must serialise a client value first use this too. */
export function checkDepth(value: unknown, field: string, limit: number): void {
  if (jsonDepth(value, limit) > limit) throw badInput(`${field}: nested deeper than ${limit} levels`, { field, limit });
}

function checkName(value: string, field: string): void {
  checkText(value, field, REQUEST_LIMITS.nameChars);
}

/** Refuses a client string that is longer than `maxChars` or could not be stored (NUL, unpaired surrogate). */
export function checkText(value: string, field: string, maxChars: number): void {
  if (value.length > maxChars) throw badInput(`${field}: longer than ${maxChars} characters`, { field, limit: maxChars });
  checkCharacters(value, field);
}

function checkCharacters(value: string, field: string): void {
  if (UNSTORABLE.test(value)) {
    throw badInput(`${field}: contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored`, { field });
  }
}

/** Depth first (so serialising cannot overflow), then size, then every key and string. */
function checkMetadata(metadata: unknown): void {
  checkDepth(metadata, "metadata", REQUEST_LIMITS.metadataDepth);
  const bytes = Buffer.byteLength(JSON.stringify(metadata), "utf8");
  if (bytes > REQUEST_LIMITS.metadataBytes) {
    throw badInput(`metadata: ${bytes} bytes as JSON, more than ${REQUEST_LIMITS.metadataBytes}`, { field: "metadata", limit: REQUEST_LIMITS.metadataBytes });
  }
  const pending: Array<{ value: unknown; path: string }> = [{ value: metadata, path: "metadata" }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value === "string") checkCharacters(value, path);
    else if (Array.isArray(value)) value.forEach((item, i) => pending.push({ value: item, path: `${path}[${i}]` }));
    else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const keyPath = `${path}.${key}`;
        checkCharacters(key, `${path} (a key)`);
        pending.push({ value: item, path: keyPath });
      }
    }
  }
}
