import { ProviderError, type ChatEvent, type ChatRequest } from "../../../core/index.js";
import type { ProviderAdapter } from "../../spec.js";

/** Every event of a stream, in order. */
export async function collectEvents(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** The ProviderError a promise rejects with; fails the test if it resolves or throws something else. */
export async function providerFailure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (ProviderError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a ProviderError");
}

/** The streamed text. */
export function textOf(events: ChatEvent[]): string {
  return events.map((event) => (event.type === "text-delta" ? event.text : "")).join("");
}

/** Tool calls put back together from their `tool-call-delta` fragments, by index. */
export function assembleToolCalls(events: ChatEvent[]): Array<{ index: number; id?: string; name?: string; arguments: string }> {
  const calls = new Map<number, { index: number; id?: string; name?: string; arguments: string }>();
  for (const event of events) {
    if (event.type !== "tool-call-delta") continue;
    const call = calls.get(event.index) ?? { index: event.index, arguments: "" };
    if (event.id !== undefined) call.id = event.id;
    if (event.name !== undefined) call.name = event.name;
    call.arguments += event.argumentsDelta;
    calls.set(event.index, call);
  }
  return [...calls.values()];
}

/** What a stream yielded before it failed, and the ProviderError it failed with (the test fails if it does not). */
export async function eventsUntilFailure(
  adapter: Pick<ProviderAdapter, "stream">,
  request: ChatRequest,
): Promise<{ received: ChatEvent[]; error: ProviderError }> {
  const received: ChatEvent[] = [];
  const error = await providerFailure(
    (async () => {
      for await (const event of (await adapter.stream(request)).events) received.push(event);
    })(),
  );
  return { received, error };
}
