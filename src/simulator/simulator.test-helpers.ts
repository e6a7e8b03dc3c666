/** Shared by the simulator's tests (not a *.test.ts file, so vitest does not run it on its own). */
import { afterEach, expect } from "vitest";
import { createSimulator, type Simulator, type SimulatorOptions } from "./index.js";

/** Returns a `start` that listens on port 0; everything started is closed after each test. */
export function useSimulators(): (options?: SimulatorOptions) => Promise<Simulator> {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((simulator) => simulator.close()));
  });
  return async (options = {}) => {
    const simulator = createSimulator(options);
    started.push(simulator);
    await simulator.listen();
    return simulator;
  };
}

export const CHAT_PATH = "/v1/chat/completions";

export interface PostChatInit {
  path?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function postChat(baseUrl: string, body: unknown, init: PostChatInit = {}): Promise<Response> {
  return fetch(baseUrl + (init.path ?? CHAT_PATH), {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

export const userMessages = (text = "hello there") => [
  { role: "system", content: "You are terse." },
  { role: "user", content: text },
];

/** Splits an SSE body into event payloads, insisting on `data: …\n\n` framing throughout. */
export function dataEvents(text: string, lineEnding: "\n" | "\r\n" = "\n"): string[] {
  const separator = lineEnding + lineEnding;
  if (!text.endsWith(separator)) throw new Error(`stream does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -separator.length)
    .split(separator)
    .map((event) => {
      if (!event.startsWith("data: ")) throw new Error(`not a data event: ${JSON.stringify(event)}`);
      return event.slice("data: ".length);
    });
}

export interface ChunkShape {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; delta: Record<string, unknown>; finish_reason: string | null }>;
  usage?: Record<string, unknown> | null;
}

export const parseChunks = (events: readonly string[]): ChunkShape[] =>
  events.filter((e) => e !== "[DONE]").map((e) => JSON.parse(e) as ChunkShape);

/** Reads a body to the end, returning what arrived and the error that stopped it, if any. */
export async function readUntilError(response: Response): Promise<{ text: string; error: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface CompletionShape {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: string; content: string | null; refusal: null; tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }> };
    finish_reason: string;
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details: { cached_tokens: number } };
}

export async function complete(url: string, body: Record<string, unknown>, path?: string): Promise<CompletionShape> {
  const response = await postChat(url, { model: "gpt-4o-mini", messages: userMessages(), ...body }, { path });
  expect(response.status).toBe(200);
  return (await response.json()) as CompletionShape;
}

export async function streamText(url: string, body: Record<string, unknown>): Promise<string> {
  const response = await postChat(url, { model: "gpt-4o-mini", messages: userMessages(), stream: true, ...body });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  return response.text();
}

// "You are terse." = 14 chars → 4 + 4; "hello there" = 11 chars → 3 + 4.
export const PROMPT_TOKENS = 15;

export const WEATHER_TOOLS = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" }, metric: { type: "boolean" }, extra: { type: "object" } } },
    },
  },
  { type: "function", function: { name: "get_time", parameters: { type: "object", properties: { zone: { type: "string", enum: ["UTC", "CET"] } } } } },
];
