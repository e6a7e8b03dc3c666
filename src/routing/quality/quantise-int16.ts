/** A weight table as int16 with one scale: weight ≈ values[i] · scale. */
export interface Int16Table {
  values: Int16Array;
  scale: number;
}

/**
 * Rounds each weight to the nearest multiple of `scale` = largest magnitude / `range` (the
 * largest becomes ±range: 32767, int16, unless told; 127 keeps every value within a byte, which
 * the version 3 scorer then holds as int8). A relative error below 1 / (2 · range) of the largest
 * weight; sums of the integers are exact in any order, so scoring gives the same number whatever
 * order it adds in.
 */
export function quantiseInt16(weights: ArrayLike<number>, range = 32767): Int16Table {
  let largest = 0;
  for (let i = 0; i < weights.length; i++) largest = Math.max(largest, Math.abs(weights[i]!));
  const scale = largest > 0 ? largest / range : 1;
  const values = new Int16Array(weights.length);
  for (let i = 0; i < weights.length; i++) values[i] = Math.round(weights[i]! / scale);
  return { values, scale };
}
