import { startTestGateway, type TestGateway, type TestGatewayOptions } from "./start-test-gateway.js";
import { useForBlock } from "./use-for-block.js";

/** A test gateway that its hooks close: everything of TestGateway but close(). */
export type OpenTestGateway = Omit<TestGateway, "close">;

/**
 * Registers the hooks that start a startTestGateway() before the tests of the file or describe block it is
 * called in and close it after them (useForBlock); the answer reads through to that gateway in its hooks and tests.
 */
export function useTestGateway(configText: string, options: TestGatewayOptions = {}): OpenTestGateway {
  const open = useForBlock("test gateway", () => startTestGateway(configText, options), (gateway) => gateway.close());
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
