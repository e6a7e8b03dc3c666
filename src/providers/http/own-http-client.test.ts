import { describe, expect, it } from "vitest";
import type { HttpClient } from "./create-http-client.js";
import { ownHttpClient } from "./own-http-client.js";

const countingClient = (): HttpClient & { closed: number } => {
  const client = {
    closed: 0,
    postJson: () => Promise.reject(new Error("not used")),
    close: async () => {
      client.closed++;
    },
  };
  return client;
};

describe("ownHttpClient", () => {
  it("uses a shared client and never closes it", async () => {
    const shared = countingClient();
    let created = 0;
    const owned = ownHttpClient(shared, () => (created++, countingClient()));
    expect(owned.http).toBe(shared);
    await owned.close();
    expect(shared.closed).toBe(0);
    expect(created).toBe(0);
  });

  it("creates its own client when none is given and closes it", async () => {
    const own = countingClient();
    const owned = ownHttpClient(undefined, () => own);
    expect(owned.http).toBe(own);
    await owned.close();
    expect(own.closed).toBe(1);
  });
});
