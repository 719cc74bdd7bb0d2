// The alert delivery loop's thread (started by startAlertLoop in delivery-loop.ts): the same
// passes as on the server's thread, with this thread's own database connection.
import { parentPort } from "node:worker_threads";
import { runAlertLoop } from "./delivery-loop";

runAlertLoop({ keepAlive: true });
parentPort?.postMessage("ready");
