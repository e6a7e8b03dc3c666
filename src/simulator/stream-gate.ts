import type { ServerResponse } from "node:http";

/** Where streams of a `holdAfterFirstToken` profile wait after their first token. */
export interface StreamGate {
  /** Runs `resume` once the gate is released (at once if it already was), never if `res` closes first. */
  wait(res: ServerResponse, resume: () => void): void;
  /** Resumes every waiting stream and lets later ones pass; returns how many were waiting. */
  release(): number;
  /** Streams waiting now. */
  readonly held: number;
}

export function createStreamGate(): StreamGate {
  const waiting = new Set<() => void>();
  let released = false;
  return {
    wait(res, resume) {
      if (released) return resume();
      waiting.add(resume);
      res.once("close", () => waiting.delete(resume));
    },
    release() {
      released = true;
      const count = waiting.size;
      const resumes = [...waiting];
      waiting.clear();
      for (const resume of resumes) resume();
      return count;
    },
    get held() {
      return waiting.size;
    },
  };
}
