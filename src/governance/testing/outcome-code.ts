import { GatewayError } from "../../core/index.js";

/** How a governance step ended, for a test to compare: "OK", the GatewayError's code, or any other error as text. */
export const outcomeCode = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "OK",
    (error: unknown) => (GatewayError.isInstance(error) ? error.code : String(error)),
  );
