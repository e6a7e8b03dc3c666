/** `npm run -s router:train -- …`: see src/routing/quality/run-router-train.ts and docs/quality-router.md. */
import { processIo } from "../src/routing/quality/router-command-io.js";
import { runRouterTrain } from "../src/routing/quality/run-router-train.js";

// npm runs scripts in the package folder; paths on the command line are the caller's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await runRouterTrain(process.argv.slice(2), processIo);
