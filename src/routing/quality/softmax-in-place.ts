export function softmaxInPlace(z: Float64Array): void {
  let top = -Infinity;
  for (let s = 0; s < z.length; s++) if (z[s]! > top) top = z[s]!;
  let sum = 0;
  for (let s = 0; s < z.length; s++) {
    const e = Math.exp(z[s]! - top);
    z[s] = e;
    sum += e;
  }
  for (let s = 0; s < z.length; s++) z[s] = z[s]! / sum;
}
