#!/usr/bin/env -S node --max-semi-space-size=32
import "reflect-metadata";
import { reportStartFailure } from "../app/serve-process.js";
import { AdminRequestError } from "./admin-client.js";
import { buildCli } from "./build-cli.js";

/** The `switchyard` command (package.json `bin`). */
buildCli()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof AdminRequestError) {
      process.stderr.write(`switchyard: ${error.message}\n`);
      process.exit(1);
    }
    reportStartFailure(error);
  });
