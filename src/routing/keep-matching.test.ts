import { describe, expect, it } from "vitest";
import { keepMatching } from "./keep-matching.js";

describe("keepMatching", () => {
  it("returns the list itself when every item is kept", () => {
    const list = [1, 2, 3];
    expect(keepMatching(list, () => true)).toBe(list);
    const empty: number[] = [];
    expect(keepMatching(empty, () => false)).toBe(empty);
  });

  it("returns a filtered copy, in order, and leaves the list alone when an item is left out", () => {
    const list = [1, 2, 3, 4, 5, 6];
    for (const keep of [(n: number) => n !== 1, (n: number) => n % 2 === 0, (n: number) => n !== 6, () => false]) {
      const kept = keepMatching(list, keep);
      expect(kept).not.toBe(list);
      expect(kept).toEqual(list.filter(keep));
    }
    expect(list).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("asks about each item once, in order, like filter", () => {
    const asked: string[] = [];
    keepMatching(["a", "b", "c", "d"], (s) => {
      asked.push(s);
      return s !== "b";
    });
    expect(asked).toEqual(["a", "b", "c", "d"]);
  });
});
