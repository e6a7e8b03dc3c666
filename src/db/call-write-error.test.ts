import { describe, expect, it } from "vitest";
import { CallWriteError } from "./call-write-error.js";

const pgError = (code: string | undefined, message = "boom") => Object.assign(new Error(message), code === undefined ? {} : { code });
/** drizzle wraps the driver's error, whose message holds the whole statement. */
const wrapped = (cause: unknown) => new Error(`Failed query: insert into "calls" … ${"x".repeat(5_000)}`, { cause });

describe("CallWriteError", () => {
  it.each([
    ["a cut connection", pgError(undefined, "Connection terminated unexpectedly"), true],
    ["connection refused", pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"), true],
    ["admin shutdown", pgError("57P01"), true],
    ["connection failure", pgError("08006"), true],
    ["serialization failure", pgError("40001"), true],
    ["too many connections", pgError("53300"), true],
    ["untranslatable character", pgError("22P05"), false],
    ["invalid byte sequence", pgError("22021"), false],
    ["invalid text (a bad uuid)", pgError("22P02"), false],
    ["not-null violation", pgError("23502"), false],
    ["statement too complex", pgError("54001"), false],
  ])("%s → retryable %s, through drizzle's wrapper too", (_name, cause, retryable) => {
    expect(CallWriteError.from(cause).retryable).toBe(retryable);
    const error = CallWriteError.from(wrapped(cause));
    expect(error.retryable).toBe(retryable);
    expect(error.message.length).toBeLessThan(600);
  });

  it("treats a record that does not serialize as its own permanent fault", () => {
    const overflow = new CallWriteError("call c1 cannot be serialized", { cause: new RangeError("Maximum call stack size exceeded"), callId: "c1" });
    expect(overflow).toMatchObject({ retryable: false, callId: "c1" });
    // Without a record to blame, an unknown error is assumed to heal: retrying loses nothing.
    expect(CallWriteError.from(new RangeError("odd")).retryable).toBe(true);
  });
});
