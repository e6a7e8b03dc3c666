/**
 * How a latency sketch's buckets are stored: one bigint per non-empty bucket, `count * 1024 + index`
 * (since migration 0017; before it, `index * 2^32 + count`). Every reader and writer of the stored
 * form, in JS and in SQL, goes through this module.
 *
 * Why the count is in the high part: a report prints (`array_to_string`) and parses thousands of
 * these elements, and a count of a few thousand in bucket 300 is 7 digits this way and 13 the other
 * way; see docs/scale-out.md for what it measured.
 *
 * Bounds: the index is the low 10 bits, so it is kept below SKETCH_INDEX_SPAN (bucket 1023 ends at
 * about 6·10^17 ms; a larger value is counted there, in JS as in SQL). The count is the rest, and an
 * element must stay an exact double (below 2^53), so a count is capped at SKETCH_MAX_COUNT (2^43 − 1,
 * about 8.8·10^12 calls in one bucket of one rollup row) when encoded or merged: a count can then
 * never reach into the index, nor an element past what the gateway reads exactly.
 */
export const SKETCH_INDEX_SPAN = 1024;
export const SKETCH_MAX_INDEX = SKETCH_INDEX_SPAN - 1;
export const SKETCH_MAX_COUNT = 2 ** 43 - 1;

/** One stored element (index below SKETCH_INDEX_SPAN, count ≥ 0). */
export function encodeSketchElement(index: number, count: number): number {
  return (count < SKETCH_MAX_COUNT ? count : SKETCH_MAX_COUNT) * SKETCH_INDEX_SPAN + index;
}

/** Calls `add` with a stored element's bucket index and count (numbers or their decimal strings). */
export function decodeSketchElements(elements: Iterable<number | string>, add: (index: number, count: number) => void): void {
  for (const element of elements) {
    const value = Number(element);
    const count = Math.floor(value / SKETCH_INDEX_SPAN);
    add(value - count * SKETCH_INDEX_SPAN, count);
  }
}

/**
 * decodeSketchElements over a comma-separated list of elements (a report's string_agg of sketches),
 * read in one pass instead of split into strings first. Empty items (",,", a leading or trailing
 * comma) are skipped. Elements are non-negative integers below 2^53, so the digit arithmetic is exact.
 */
export function decodeSketchList(list: string, add: (index: number, count: number) => void): void {
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= list.length; i++) {
    const code = i < list.length ? list.charCodeAt(i) : 44;
    if (code === 44) {
      if (digits > 0) {
        const count = Math.floor(value / SKETCH_INDEX_SPAN);
        add(value - count * SKETCH_INDEX_SPAN, count);
      }
      value = 0;
      digits = 0;
    } else {
      value = value * 10 + (code - 48);
      digits += 1;
    }
  }
}

/** In SQL: the element of index `i` and count `n` (sketchFromBucketsSql's columns). */
export const SKETCH_ELEMENT_SQL = `least(n, ${SKETCH_MAX_COUNT})::bigint * ${SKETCH_INDEX_SPAN} + i`;

/** In SQL: the stored sketch of (index, count) rows `i` and `n` of the FROM clause `buckets`, indexes ascending. */
export const sketchFromBucketsSql = (buckets: string): string => `(
      select coalesce(array_agg(${SKETCH_ELEMENT_SQL} order by i), '{}'::bigint[])
      from ${buckets})`;

/**
 * In SQL: the sketch holding every element of `elements` (a FROM item yielding a bigint column `e`,
 * such as `unnest(a || b) as e`), counts summed per bucket index.
 */
export const mergeSketchElementsSql = (elements: string): string =>
  sketchFromBucketsSql(`(select e % ${SKETCH_INDEX_SPAN} as i, sum(e / ${SKETCH_INDEX_SPAN}) as n from ${elements} group by 1) as merged`);
