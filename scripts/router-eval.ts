/** `npm run -s router:eval -- …`: see src/routing/quality/run-router-eval.ts and docs/quality-router.md. */
import { processIo } from "../src/routing/quality/router-command-io.js";
import { runRouterEval } from "../src/routing/quality/run-router-eval.js";

// npm runs scripts in the package folder; paths on the command line are the caller's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await runRouterEval(process.argv.slice(2), processIo);
