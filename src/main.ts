import "reflect-metadata";
import { reportStartFailure, serveProcess } from "./app/serve-process.js";
import { readRuntimeSettings } from "./config/index.js";

/** Process entry of `npm start`: the same as `switchyard serve`. */
serveProcess(readRuntimeSettings()).catch(reportStartFailure);
