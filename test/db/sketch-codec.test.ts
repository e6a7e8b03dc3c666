import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { SKETCH_INDEX_SQL, sketchIndex } from "../../src/db/latency-sketch.js";
import {
  SKETCH_INDEX_SPAN,
  SKETCH_MAX_COUNT,
  SKETCH_MAX_INDEX,
  decodeSketchElements,
  decodeSketchList,
  encodeSketchElement,
  mergeSketchElementsSql,
} from "../../src/db/sketch-codec.js";
import { useTestDatabase } from "../helpers/use-test-database.js";

const decoded = (list: string) => {
  const pairs: Array<[number, number]> = [];
  decodeSketchList(list, (index, count) => pairs.push([index, count]));
  return pairs;
};

describe("sketch element codec", () => {
  it("puts the count above the index, exact up to the largest count and index", () => {
    expect(SKETCH_INDEX_SPAN).toBe(1024);
    expect(encodeSketchElement(3, 7)).toBe(7 * 1024 + 3);
    expect(encodeSketchElement(SKETCH_MAX_INDEX, SKETCH_MAX_COUNT)).toBe(Number.MAX_SAFE_INTEGER);
    expect(decoded(`${Number.MAX_SAFE_INTEGER},0,1023,1024`)).toEqual([[SKETCH_MAX_INDEX, SKETCH_MAX_COUNT], [0, 0], [1023, 0], [0, 1]]);
    const pairs: Array<[number, number]> = [];
    decodeSketchElements([Number.MAX_SAFE_INTEGER, String(encodeSketchElement(460, 123_456))], (index, count) => pairs.push([index, count]));
    expect(pairs).toEqual([[SKETCH_MAX_INDEX, SKETCH_MAX_COUNT], [460, 123_456]]);
  });

  it("caps a count past the largest instead of letting it reach into the index or past exact doubles", () => {
    expect(decoded(String(encodeSketchElement(5, 2 ** 50)))).toEqual([[5, SKETCH_MAX_COUNT]]);
    expect(decoded(String(encodeSketchElement(SKETCH_MAX_INDEX, SKETCH_MAX_COUNT + 1)))).toEqual([[SKETCH_MAX_INDEX, SKETCH_MAX_COUNT]]);
  });

  it("keeps every value's bucket index within the codec's span (a value past the last bucket counts there)", () => {
    expect(sketchIndex(86_400_000)).toBeLessThan(500);
    expect(sketchIndex(1e17)).toBeLessThan(SKETCH_MAX_INDEX);
    for (const value of [1e18, 1e300, Number.POSITIVE_INFINITY]) expect(sketchIndex(value)).toBe(SKETCH_MAX_INDEX);
  });

  describe("in SQL", () => {
    const test = useTestDatabase();

    it("merges counts per index up to the largest and caps the sum there, the gateway reading it back exactly", async () => {
      const half = 2 ** 42;
      const elements = [encodeSketchElement(1023, half), encodeSketchElement(0, half), encodeSketchElement(1023, half), encodeSketchElement(2, 5), encodeSketchElement(0, 1)];
      const merged = mergeSketchElementsSql(`unnest(array[${elements.join(",")}]::bigint[]) as e`);
      const [row] = await queryRows<{ list: string }>(test.database.db, sql.raw(`select array_to_string(${merged}, ',') as list`));
      expect(decoded(row!.list)).toEqual([[0, half + 1], [2, 5], [1023, SKETCH_MAX_COUNT]]);
    });

    it("finds the same bucket index as the gateway for every value, the largest included", async () => {
      const values = [0, 0.5, 1, 1.02, 1.5, 37.2, 1_000, 86_400_000, 1e17, 1e18, 1e300, Number.POSITIVE_INFINITY];
      const rows = await queryRows<{ i: number }>(
        test.database.db,
        sql.raw(`select ${SKETCH_INDEX_SQL("v")}::int as i from unnest(array[${values.map((v) => `'${v}'`).join(",")}]::float8[]) with ordinality as t(v, n) order by n`),
      );
      expect(rows.map((row) => row.i)).toEqual(values.map(sketchIndex));
    });
  });
});
