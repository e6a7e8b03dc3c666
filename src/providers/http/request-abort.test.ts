import { describe, expect, it } from "vitest";
import { RequestAbort } from "./request-abort.js";

describe("RequestAbort", () => {
  it("calls each listener still attached once, with the reason set, and aborts only once", () => {
    const abort = new RequestAbort();
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
});
