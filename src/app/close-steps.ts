/** What was opened, closed in reverse order; every step runs even when one before it failed. */
export interface CloseSteps {
  /** Registers how to close something just opened, under a name that appears in failures. */
  add(name: string, close: () => unknown): void;
  /** Runs every step, last added first; resolves with one Error per step that failed, each named. */
  run(): Promise<Error[]>;
}

export function createCloseSteps(): CloseSteps {
  const steps: Array<{ name: string; close: () => unknown }> = [];
  return {
    add(name, close) {
      steps.push({ name, close });
    },
    async run() {
      const failures: Error[] = [];
      for (const step of steps.splice(0).reverse()) {
        try {
          await step.close();
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push(Object.assign(new Error(`closing ${step.name} failed: ${message}`, { cause: error }), { step: step.name }));
        }
      }
      return failures;
    },
  };
}

/** Every failed step of a close(), in `errors`, each message naming its step. */
export class CloseError extends AggregateError {
  override readonly name = "CloseError";
  constructor(failures: Error[]) {
    super(failures, `Switchyard did not close cleanly (${failures.length} step${failures.length === 1 ? "" : "s"} failed): ${failures.map((f) => f.message).join("; ")}`);
  }
}
