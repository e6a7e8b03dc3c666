import { describe, expect, it } from "vitest";
import { createRateLimitWindow } from "../rate-limit-window.js";
import { WIRE_FORMATS } from "./wire-formats.js";
import { SIMULATED, type HttpFailure, type RenderContext, type ResponseContext } from "./wire-format.js";

const KINDS: HttpFailure[] = ["rateLimit", "serverError", "unavailable"];
const text = (body: string | Buffer) => (typeof body === "string" ? body : body.toString("latin1"));

describe("every failure the simulator makes up says it is simulated", () => {
  for (const [name, wire] of Object.entries(WIRE_FORMATS)) {
    const route = { query: "api-version=2024-10-21", model: "m", stream: true };
    it(`${name}: rate limit, server error, overload and the mid-stream error`, () => {
      const context: ResponseContext = {
        route,
        model: "m",
        requestHex: "0".repeat(32),
        profile: {},
        limits: { requests: 60, tokens: 100_000 },
        window: createRateLimitWindow(() => 0),
      };
      for (const kind of KINDS) {
        const response = wire.failure(kind, context);
        expect(response.status, kind).toBeGreaterThanOrEqual(429);
        expect(text(response.body), kind).toContain(SIMULATED);
      }
      const render = { route, requestHex: "0".repeat(32), lineEnding: "\n", keepAlive: false, nowMs: 0, firstTokenMs: 0, generationMs: 0 } as unknown as RenderContext;
      expect(text(wire.errorEvent(render))).toContain(SIMULATED);
    });
  }

  it("Gemini's quota refusal is not mistaken for a real bill", () => {
    const body = JSON.parse(text(WIRE_FORMATS.gemini.failure("rateLimit", { route: { query: "" }, model: "gemini-2.0-flash", requestHex: "0".repeat(32), profile: {}, limits: { requests: 60, tokens: 1 }, window: createRateLimitWindow(() => 0) }).body)) as { error: { message: string } };
    expect(body.error.message).toMatch(/^\[simulated\] You exceeded your current quota/);
  });
});
