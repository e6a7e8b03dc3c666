/** `npm run -s router:score -- …`: see src/routing/quality/run-router-score.ts and docs/quality-router.md. */
import { processIo } from "../src/routing/quality/router-command-io.js";
import { runRouterScore } from "../src/routing/quality/run-router-score.js";

// npm runs scripts in the package folder; paths on the command line are the caller's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await runRouterScore(process.argv.slice(2), processIo);
