import { softmaxInPlace } from "./softmax-in-place.js";

/**
 * A posterior moved by dense inputs (comparison only): p ← softmax(log p + Wᵀx), W the classifier's
 * `dense` weights (inputs × subjects) and x the standardised inputs. In place.
 */
export function shiftPosterior(p: Float64Array, weights: Float64Array, x: ArrayLike<number>): void {
  const subjects = p.length;
  for (let s = 0; s < subjects; s++) {
    let z = Math.log(p[s]! + 1e-300);
    for (let j = 0; j < x.length; j++) z += weights[j * subjects + s]! * x[j]!;
    p[s] = z;
  }
  softmaxInPlace(p);
}
