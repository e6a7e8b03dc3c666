import { parseArgs, type ParseArgsConfig } from "node:util";
import { RoutingDataError } from "./read-routing-csv.js";
import { RouterFileError } from "./router-file-error.js";

/** Where a router command writes: stdout carries only the command's output, stderr everything else. */
export interface RouterCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: RouterCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A command-line mistake: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs a command body; known failures become one line on stderr and an exit code, never a stack trace. */
export async function runRouterCommand(usage: string, io: RouterCommandIo, body: () => Promise<void> | void): Promise<number> {
  try {
    await body();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\nusage: ${usage}\n`);
      return 2;
    }
    if (RouterFileError.isInstance(error) || RoutingDataError.isInstance(error)) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
