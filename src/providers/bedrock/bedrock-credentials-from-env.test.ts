import { describe, expect, it } from "vitest";
import { bedrockCredentialsFromEnv } from "./bedrock-credentials-from-env.js";

const ENV = {
  AWS_REGION: "eu-central-1",
  AWS_DEFAULT_REGION: "us-west-2",
  AWS_ACCESS_KEY_ID: "ASIAENV",
  AWS_SECRET_ACCESS_KEY: "env-secret",
  AWS_SESSION_TOKEN: "env-token",
};

describe("bedrockCredentialsFromEnv", () => {
  it("fills region and the whole credential set from the standard AWS variables", () => {
    expect(bedrockCredentialsFromEnv(ENV)).toEqual({
      region: "eu-central-1",
      accessKeyId: "ASIAENV",
      secretAccessKey: "env-secret",
      sessionToken: "env-token",
    });
    expect(bedrockCredentialsFromEnv({ AWS_DEFAULT_REGION: "us-west-2" })).toEqual({ region: "us-west-2" });
  });

  it("keeps what the deployment sets, and never mixes the environment's token into its own keys", () => {
    const extra = { region: "us-east-1", accessKeyId: "AKIADEPLOY", secretAccessKey: "deploy-secret", other: 1 };
    expect(bedrockCredentialsFromEnv(ENV, extra)).toEqual(extra);
  });

  it("does not keep a stale deployment token next to the environment's long-term keys", () => {
    const env = { AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "s" };
    expect(bedrockCredentialsFromEnv(env, { sessionToken: "stale" })).toEqual({ accessKeyId: "AKIAENV", secretAccessKey: "s" });
  });

  it("adds nothing when the keys are incomplete", () => {
    expect(bedrockCredentialsFromEnv({ AWS_ACCESS_KEY_ID: "AKIA" })).toEqual({});
  });
});
