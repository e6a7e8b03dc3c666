/**
 * The cross-validation fold of a prompt, from a hash of its text: the same prompt lands in the
 * same fold whatever file or order it comes in, and duplicates never straddle train and test.
 */
export function foldOfPrompt(prompt: string, folds: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < prompt.length; i++) h = Math.imul(h ^ prompt.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) % folds;
}
