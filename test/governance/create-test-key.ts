import { expect } from "vitest";
import { CreateVirtualKeyDocument, type VirtualKeyInput } from "../gql/graphql.js";
import type { TestGateway } from "../helpers/start-test-gateway.js";

/** Creates a virtual key through GraphQL as the master key, expecting no error: the key and its secret. */
export async function createTestKey(gateway: Pick<TestGateway, "execute">, input: VirtualKeyInput = {}) {
  const result = await gateway.execute(CreateVirtualKeyDocument, { input });
  expect(result.errors).toBeUndefined();
  return result.data!.createVirtualKey;
}
