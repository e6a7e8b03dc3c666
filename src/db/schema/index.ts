export { calls } from "./calls.js";
export { callAttempts } from "./call-attempts.js";
