/** GraphQL: the `complete` mutation over HTTP, `completionStream` over graphql-ws. */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse, type GraphQLFormattedError } from "graphql";
import { CompleteDocument, type CompletionInput, type MessageInput } from "../gql/graphql.js";
import { collect, type TestGateway } from "../helpers/start-test-gateway.js";
import { DoorRefusal, WEATHER_TOOL, type DoorClient, type Question } from "./door-client.js";

interface StreamChunk {
  completionStream: { delta: string | null; reasoningDelta: string | null; done: boolean };
}

/** The stream with its reasoning deltas (test/operations' CompletionStream leaves them out). */
const STREAM: TypedDocumentNode<StreamChunk, { input: CompletionInput }> = parse(`
  subscription ConformanceStream($input: CompletionInput!) {
    completionStream(input: $input) { delta reasoningDelta done }
  }
`);

function inputOf(question: Question): CompletionInput {
  // MessageInput has no cache breakpoint.
  const messages: MessageInput[] = question.system ? [{ role: "SYSTEM", content: question.system.text }] : [];
  messages.push({ role: "USER", parts: question.user.map((part) => ("text" in part ? { text: part.text } : { imageUrl: part.imageUrl })) });
  if (question.toolResult) {
    const { call, result } = question.toolResult;
    messages.push({ role: "ASSISTANT", toolCalls: [{ id: call.id, name: call.name, arguments: call.arguments }] });
    messages.push({ role: "TOOL", toolCallId: call.id, content: result });
  }
  return {
    model: question.model,
    messages,
    ...(question.tools ? { tools: [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, parameters: WEATHER_TOOL.parameters }] } : {}),
    ...(question.reasoning ? { reasoningEffort: "HIGH" as const } : {}),
  };
}

function throwErrors(errors: readonly GraphQLFormattedError[] | undefined): void {
  const error = errors?.[0];
  if (error === undefined) return;
  if (error.extensions?.code === "BAD_USER_INPUT") throw new DoorRefusal(error.message);
  throw new Error(`GraphQL error ${String(error.extensions?.code)}: ${error.message}`);
}

export function graphqlDoor(gateway: TestGateway): DoorClient {
  return {
    async ask(question) {
      const result = await gateway.execute(CompleteDocument, { input: inputOf(question) });
      throwErrors(result.errors);
      const completion = result.data!.complete;
      return {
        callId: completion.id,
        text: completion.message.content ?? "",
        ...(completion.message.reasoning ? { reasoning: completion.message.reasoning } : {}),
        toolCalls: completion.message.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
        usage: { cached: completion.usage.cachedTokens },
      };
    },
    async stream(question) {
      const results = await collect(gateway.wsClient(), STREAM, { input: inputOf(question) });
      for (const result of results) throwErrors(result.errors);
      const chunks = results.map((result) => result.data!.completionStream);
      const reasoning = chunks.flatMap((chunk) => (chunk.reasoningDelta ? [chunk.reasoningDelta] : []));
      return {
        deltas: chunks.flatMap((chunk) => (chunk.delta ? [chunk.delta] : [])),
        ended: chunks.at(-1)?.done === true,
        ...(reasoning.length > 0 ? { reasoning: reasoning.join("") } : {}),
      };
    },
  };
}
