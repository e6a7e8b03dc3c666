import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { chooseLogFormat, createLogger } from "./create-logger.js";

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join("").split("\n").filter((line) => line !== "") };
}

describe("createLogger", () => {
  it("redacts Authorization, x-api-key and api keys by path, and the config's secrets wherever they appear", () => {
    const out = capture();
    const logger = createLogger({ level: "info", format: "json", secrets: ["sk-live-config-secret-123", "master-key-abcdef"], destination: out.stream as never });
    logger.info({ req: { headers: { authorization: "Bearer sy-abc", "x-api-key": "anthropic-key-1" } } }, "incoming");
    logger.info({ deployment: { apiKey: "sk-live-config-secret-123", model: "gpt-4o" } }, "a deployment");
    logger.error({ err: new Error("upstream said: bad key sk-live-config-secret-123") }, "failed with master-key-abcdef in it");
    const text = out.lines().join("\n");
    expect(text).not.toContain("sy-abc");
    expect(text).not.toContain("anthropic-key-1");
    expect(text).not.toContain("sk-live-config-secret-123");
    expect(text).not.toContain("master-key-abcdef");
    const [incoming, deployment, failed] = out.lines().map((line) => JSON.parse(line) as Record<string, any>);
    expect(incoming!.req.headers).toEqual({ authorization: "[Redacted]", "x-api-key": "[Redacted]" });
    expect(deployment!.deployment).toEqual({ apiKey: "[Redacted]", model: "gpt-4o" });
    expect(failed!.msg).toBe("failed with [Redacted] in it");
    expect(failed!.err.message).toBe("upstream said: bad key [Redacted]");
  });

  it("writes pretty lines (not JSON) when asked, secrets redacted there too", () => {
    const out = capture();
    const logger = createLogger({ level: "info", format: "pretty", secrets: ["sk-live-config-secret-123"], destination: out.stream as never });
    logger.info({ method: "POST", path: "/v1/chat/completions", status: 200, apiKey: "sk-live-config-secret-123" }, "request");
    const [line] = out.lines();
    expect(() => JSON.parse(line!)).toThrow();
    expect(line).toContain("request");
    expect(out.lines().join("\n")).toContain("/v1/chat/completions");
    expect(out.lines().join("\n")).not.toContain("sk-live-config-secret-123");
  });

  it("chooses pretty on a terminal or with LOG_FORMAT=pretty, JSON otherwise, and refuses other formats", () => {
    expect(chooseLogFormat(undefined, true)).toBe("pretty");
    expect(chooseLogFormat(undefined, false)).toBe("json");
    expect(chooseLogFormat("pretty", false)).toBe("pretty");
    expect(chooseLogFormat("json", true)).toBe("json");
    expect(() => chooseLogFormat("xml", true)).toThrow(/LOG_FORMAT/);
  });
});
