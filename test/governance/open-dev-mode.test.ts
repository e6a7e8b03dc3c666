import { describe, expect, it } from "vitest";
import { CompleteDocument, MeDocument } from "../gql/graphql.js";
import { useTestGateway } from "../helpers/use-test-gateway.js";
import { ask, GOVERNANCE_CONFIG } from "./governance-config.js";
import { createTestKey } from "./create-test-key.js";

const gateway = useTestGateway(GOVERNANCE_CONFIG);

describe("without a master key", () => {
  it("runs in open dev mode and says so in /readyz", async () => {
    const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as { openDevMode: boolean; auth: string };
    expect(ready.openDevMode).toBe(true);
    expect(ready.auth).toMatch(/open dev mode/i);
    expect((await gateway.execute(MeDocument, {})).data!.me).toEqual({ kind: "ADMIN", openMode: true, key: null });
  });

  it("still honours virtual keys that are presented", async () => {
    const { secret } = await createTestKey(gateway, { allowedModels: ["fast"] });
    expect((await gateway.execute(MeDocument, {}, secret)).data!.me.kind).toBe("VIRTUAL_KEY");
    expect((await gateway.execute(CompleteDocument, ask("smart"), secret)).errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });
});
