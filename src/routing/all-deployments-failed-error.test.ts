import { describe, expect, it } from "vitest";
import { ProviderError } from "../core/index.js";
import { AllDeploymentsFailedError } from "./all-deployments-failed-error.js";
import type { Attempt } from "./attempt.js";
import type { Deployment } from "./model-group.js";

const attemptFailingWith = (error: ProviderError): Attempt => ({
  index: 0,
  group: "g",
  deployment: { id: "g/0" } as Deployment,
  startedAt: new Date(0),
  startedAtMs: 0,
  latencyMs: 1,
  outcome: "ERROR",
  error,
  hedged: false,
});

describe("AllDeploymentsFailedError for a bad request", () => {
  it("says the provider refused it when the provider answered 400", () => {
    const refused = new ProviderError({ kind: "bad_request", provider: "openai", status: 400, message: "max_tokens is too large" });
    const error = new AllDeploymentsFailedError("gpt", [attemptFailingWith(refused)], "BAD_USER_INPUT");
    expect(error.message).toBe("The provider refused the request: max_tokens is too large");
  });

  it("says the gateway could not send it when the request never reached the provider", () => {
    const unsendable = new ProviderError({ kind: "bad_request", provider: "ollama", message: "Ollama takes images as base64 data, not URLs" });
    const error = new AllDeploymentsFailedError("llama", [attemptFailingWith(unsendable)], "BAD_USER_INPUT");
    expect(error.message).toBe("The request cannot be sent to ollama: Ollama takes images as base64 data, not URLs");
    expect(error.code).toBe("BAD_USER_INPUT");
  });
});
