import { describe, expect, it } from "vitest";
import { postJsonOptions } from "./post-json-options.js";

describe("postJsonOptions", () => {
  const headers = { "content-type": "application/json" };

  it("bounds a plain call's whole response and a stream's headers only", () => {
    expect(postJsonOptions({ provider: "p", headers, call: undefined, stream: false })).toEqual({
      provider: "p",
      headers,
      timeoutScope: "response",
    });
    expect(postJsonOptions({ provider: "p", headers, call: undefined, stream: true }).timeoutScope).toBe("headers");
  });

  it("passes the call's signal and deadline, and leaves them undefined when absent", () => {
    const signal = new AbortController().signal;
    const options = postJsonOptions({ provider: "p", headers, call: { signal, timeoutMs: 1500 }, stream: false });
    expect(options.signal).toBe(signal);
    expect(options.timeoutMs).toBe(1500);
    const bare = postJsonOptions({ provider: "p", headers, call: {}, stream: false });
    expect(bare.signal).toBeUndefined();
    expect(bare.timeoutMs).toBeUndefined();
  });

  it("sends the headers it is given, not the call's own", () => {
    const options = postJsonOptions({ provider: "p", headers, call: { headers: { "x-extra": "1" } }, stream: false });
    expect(options.headers).toBe(headers);
  });
});
