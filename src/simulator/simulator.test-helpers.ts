/** Shared by the simulator's tests (not a *.test.ts file, so vitest does not run it on its own). */

export const CHAT_PATH = "/v1/chat/completions";

export function postChat(baseUrl: string, body: unknown, init: { path?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
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
