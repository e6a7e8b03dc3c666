import { describe, expect, it } from "vitest";
import { matchRoute } from "./match-route.js";

describe("matchRoute", () => {
  it("matches every format's path, with or without a profile prefix", () => {
    expect(matchRoute("POST", "/v1/chat/completions")).toEqual({ endpoint: "openai", profile: undefined });
    expect(matchRoute("GET", "/p/a%20b/v1/models")).toEqual({ endpoint: "models", profile: "a b" });
    expect(matchRoute("POST", "/p/x/v1/messages")).toEqual({ endpoint: "anthropic", profile: "x" });
    expect(matchRoute("POST", "/api/chat")).toEqual({ endpoint: "ollama", profile: undefined });
    expect(matchRoute("POST", "/p/x/v1beta/models/gemini-2.0-flash:streamGenerateContent")).toEqual({
      endpoint: "gemini", profile: "x", model: "gemini-2.0-flash", stream: true,
    });
    expect(matchRoute("POST", "/v1/models/gemini-pro:generateContent")).toMatchObject({ endpoint: "gemini", model: "gemini-pro", stream: false });
    expect(matchRoute("POST", "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream")).toEqual({
      endpoint: "bedrock", profile: undefined, model: "us.anthropic.claude-3-5-sonnet-20240620-v1:0", stream: true,
    });
    expect(matchRoute("POST", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx/converse")).toMatchObject({
      model: "arn:aws:bedrock:us-east-1:1:inference-profile/x", stream: false,
    });
    expect(matchRoute("POST", "/p/x/openai/deployments/gpt-4o/chat/completions")).toEqual({ endpoint: "azure", profile: "x", model: "gpt-4o" });
  });

  it("refuses wrong methods, unknown operations and undecodable segments", () => {
    expect(matchRoute("GET", "/v1/chat/completions")).toBeUndefined();
    expect(matchRoute("POST", "/v1/models")).toBeUndefined();
    expect(matchRoute("GET", "/v1/messages")).toBeUndefined();
    expect(matchRoute("POST", "/v1beta/models/gemini:countTokens")).toBeUndefined();
    expect(matchRoute("POST", "/model/m/invoke")).toBeUndefined();
    expect(matchRoute("POST", "/model//converse")).toBeUndefined();
    expect(matchRoute("POST", "/openai/deployments//chat/completions")).toBeUndefined();
    expect(matchRoute("POST", "/p/%E0%A4%A/v1/messages")).toBeUndefined();
    expect(matchRoute("POST", "/p/only")).toBeUndefined();
  });
});
