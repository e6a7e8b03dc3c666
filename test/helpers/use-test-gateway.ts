import { afterAll, beforeAll } from "vitest";
import { startTestGateway, type TestGateway, type TestGatewayOptions } from "./start-test-gateway.js";

/** A test gateway that its hooks close: everything of TestGateway but close(). */
export type OpenTestGateway = Omit<TestGateway, "close">;

/**
 * Registers the hooks that start a startTestGateway() before the tests of the file or describe block it is
 * called in and close it after them; the answer reads through to that gateway in its hooks and tests.
 */
export function useTestGateway(configText: string, options: TestGatewayOptions = {}): OpenTestGateway {
  let gateway: TestGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway(configText, options);
  });
  afterAll(async () => {
    await gateway?.close();
    gateway = undefined;
  });
  const open = (): TestGateway => {
    if (gateway === undefined) throw new Error("the test gateway runs only in the hooks and tests of the block that uses it");
    return gateway;
  };
  return {
    get url() {
      return open().url;
    },
    get switchyard() {
      return open().switchyard;
    },
    execute: (document, variables, key) => open().execute(document, variables, key),
    wsClient: (key, clientOptions) => open().wsClient(key, clientOptions),
    flush: () => open().flush(),
  };
}
