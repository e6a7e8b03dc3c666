import { describe, expect, it } from "vitest";
import { readAhead } from "./read-ahead.js";

function controllable<T>() {
  const waiting: Array<(step: IteratorResult<T>) => void> = [];
  const failing: Array<(error: unknown) => void> = [];
  let returned = 0;
  let pulls = 0;
  const source: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        pulls += 1;
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          waiting.push(resolve);
          failing.push(reject);
        });
      },
      return: async () => {
        returned += 1;
        return { value: undefined, done: true };
      },
    }),
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    source,
    push: async (value: T) => {
      failing.shift();
      waiting.shift()!({ value, done: false });
      await settle();
    },
    end: async () => {
      failing.shift();
      waiting.shift()!({ value: undefined, done: true });
      await settle();
    },
    fail: async (error: unknown) => {
      waiting.shift();
      failing.shift()!(error);
      await settle();
    },
    stats: () => ({ returned, pulls }),
  };
}

describe("readAhead", () => {
  it("hands over the first item at once and everything queued meanwhile in one take", async () => {
    const s = controllable<number>();
    const reader = readAhead(s.source);
    const first = reader.take();
    await s.push(1);
    expect(await first).toEqual([1]);
    await s.push(2);
    await s.push(3);
    expect(await reader.take()).toEqual([2, 3]);
    await s.end();
    expect(await reader.take()).toBeNull();
  });

  it("delivers the items before an error, then throws it", async () => {
    const s = controllable<number>();
    const reader = readAhead(s.source);
    await s.push(1);
    await s.fail(new Error("truncated"));
    expect(await reader.take()).toEqual([1]);
    await expect(reader.take()).rejects.toThrow("truncated");
  });

  it("stops reading at `max` queued items until the consumer takes", async () => {
    const s = controllable<number>();
    const reader = readAhead(s.source, 2);
    await s.push(1);
    await s.push(2);
    expect(s.stats().pulls).toBe(2); // no third read while two wait
    expect(await reader.take()).toEqual([1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(s.stats().pulls).toBe(3);
  });

  it("returns the source when closed, once no read is pending", async () => {
    const s = controllable<number>();
    const reader = readAhead(s.source);
    await s.push(1);
    reader.close();
    await s.push(2); // the pending read completes; the pump sees it is closed
    expect(s.stats().returned).toBe(1);
  });
});
