import { describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { LightAbort } from "./light-abort.js";

describe("LightAbort", () => {
  it("calls each listener still attached once, with the reason set, and aborts only once", () => {
    const abort = new LightAbort();
    const heard: unknown[] = [];
    const kept = () => heard.push(["kept", abort.aborted, abort.reason]);
    const removed = () => heard.push("removed");
    abort.addEventListener("abort", kept);
    abort.addEventListener("abort", removed);
    abort.removeEventListener("abort", removed);
    abort.abort("first");
    abort.abort("second");
    expect(heard).toEqual([["kept", true, "first"]]);
    expect(abort.reason).toBe("first");
    abort.addEventListener("abort", kept);
    expect(heard).toHaveLength(1);
  });

  it("gives an AbortError as the reason when none is given, as AbortController does", () => {
    const abort = new LightAbort();
    abort.abort();
    expect((abort.reason as Error).name).toBe("AbortError");
  });

  it("cancels a timers/promises sleep, which takes it as a signal, and leaves no listener behind", async () => {
    const abort = new LightAbort();
    const sleeping = sleep(60_000, undefined, { signal: abort.asSignal });
    abort.abort();
    await expect(sleeping).rejects.toMatchObject({ name: "AbortError" });
    const done = new LightAbort();
    const calls: string[] = [];
    const add = done.addEventListener.bind(done);
    const remove = done.removeEventListener.bind(done);
    done.addEventListener = (type, listener) => (calls.push("add"), add(type, listener));
    done.removeEventListener = (type, listener) => (calls.push("remove"), remove(type, listener));
    await sleep(1, undefined, { signal: done.asSignal });
    expect(calls).toEqual(["add", "remove"]);
  });
});
