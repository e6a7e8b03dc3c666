import { Ajv } from "ajv";

/** One compiled answer check: a failure says which check and why; undefined = the answer stands. */
export interface AnswerCheck {
  readonly kind: "minLength" | "regex" | "jsonSchema" | "refusal";
  test(text: string): string | undefined;
}

/** A check as the config writes it (`cascade.checks[i]`, one key set); `score` is a test of the prompt, not of the answer. */
export interface AnswerCheckSpec {
  minLength?: number | undefined;
  regex?: string | undefined;
  jsonSchema?: Record<string, unknown> | undefined;
  refusal?: boolean | undefined;
  score?: number | undefined;
}

/** A check that cannot be built (bad regex, bad JSON schema), with the field that is wrong. */
export class AnswerCheckError extends Error {
  override readonly name = "AnswerCheckError";
  constructor(
    readonly field: "regex" | "jsonSchema",
    message: string,
  ) {
    super(message);
  }

  static isInstance(error: unknown): error is AnswerCheckError {
    return error instanceof AnswerCheckError;
  }
}

/**
 * How refusals open, in the models' own words. Only the opening is read: an answer that says
 * "I can't stress enough…" mid-paragraph is an answer.
 */
const REFUSAL_OPENINGS =
  /^(?:sorry[,.!]?\s+)?(?:i['’]m sorry|i am sorry|i apologi[sz]e|i can(?:not|['’]t)|i['’]m (?:not able|unable)|i am (?:not able|unable)|i won['’]t|i will not|i must decline|as an ai\b|unfortunately,? i (?:can(?:not|['’]t)|am unable|['’]m unable))/i;

export function isRefusal(text: string): boolean {
  return REFUSAL_OPENINGS.test(text.trimStart().slice(0, 120));
}

/** Builds one answer check; throws AnswerCheckError for a regex or schema that does not compile. `score` is not an answer check: undefined. */
export function compileAnswerCheck(spec: AnswerCheckSpec): AnswerCheck | undefined {
  if (spec.minLength !== undefined) {
    const min = spec.minLength;
    return { kind: "minLength", test: (text) => (text.length < min ? `${text.length} < ${min} characters` : undefined) };
  }
  if (spec.regex !== undefined) {
    const source = spec.regex;
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, "u");
    } catch (error) {
      throw new AnswerCheckError("regex", `invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
    }
    return { kind: "regex", test: (text) => (pattern.test(text) ? undefined : `the answer does not match /${source}/`) };
  }
  if (spec.jsonSchema !== undefined) {
    // One instance per schema: two schemas with the same $id would clash in a shared one.
    const ajv = new Ajv({ strict: false });
    let validate: ReturnType<Ajv["compile"]>;
    try {
      validate = ajv.compile(spec.jsonSchema);
    } catch (error) {
      throw new AnswerCheckError("jsonSchema", `invalid JSON schema: ${(error as Error).message}`);
    }
    return {
      kind: "jsonSchema",
      test(text) {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return "the answer is not JSON";
        }
        if (validate(value)) return undefined;
        return `the answer does not match the schema: ${ajv.errorsText(validate.errors)}`;
      },
    };
  }
  if (spec.refusal !== undefined) {
    if (!spec.refusal) return undefined;
    return { kind: "refusal", test: (text) => (isRefusal(text) ? "the answer is a refusal" : undefined) };
  }
  return undefined;
}

/** The first failing check, as `check <kind> failed: <why>`; undefined when every check passes. */
export function firstFailure(checks: readonly AnswerCheck[], text: string): string | undefined {
  for (const check of checks) {
    const why = check.test(text);
    if (why !== undefined) return `check ${check.kind} failed: ${why}`;
  }
  return undefined;
}
