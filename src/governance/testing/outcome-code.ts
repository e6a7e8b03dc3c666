import { GatewayError } from "../../core/index.js";

/** How a governance step ended, for a test to compare: "OK", the GatewayError's code, or any other error as text (undefined: admitted at once, "OK"). */
export const outcomeCode = (promise: Promise<unknown> | undefined): Promise<string> =>
  Promise.resolve(promise).then(
    () => "OK",
    (error: unknown) => (GatewayError.isInstance(error) ? error.code : String(error)),
  );
