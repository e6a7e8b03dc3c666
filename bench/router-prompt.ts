import { countTokens } from "gpt-tokenizer";

const PARAGRAPH =
  "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. " +
  "Which of the following best describes the relationship between supply and demand when the price ceiling is set below equilibrium? " +
  "A train leaves the station at 3:15 pm travelling 62.5 km/h; how far has it gone by 5:45 pm (in km)? " +
  "Statement 1 | Every homomorphic image of a group G is isomorphic to a factor group of G. ";

/** A prompt of about `tokens` tokens (counted with gpt-tokenizer), varied per copy so nothing repeats exactly. */
export function promptOfTokens(tokens: number): string {
  let text = "";
  for (let i = 0; countTokens(text) < tokens; i++) text += `(${i}) ${PARAGRAPH}`;
  // Flat, as a request body's JSON.parse delivers it (a string built by += is a rope, slower to read).
  return JSON.parse(JSON.stringify(text)) as string;
}


/**
 * A multiple-choice prompt of about `tokens` tokens: a long question followed by four options,
 * the shape on which the router also runs its subject classifier (the costlier case).
 */
export function multipleChoicePromptOfTokens(tokens: number): string {
  const options = "\nA. supply exceeds demand\nB. demand exceeds supply\nC. both are equal\nD. neither changes\nAnswer:";
  return promptOfTokens(tokens - countTokens(options)) + options;
}
