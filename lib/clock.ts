// "Now" for share-link expiry. Tests move time forward by writing an offset in
// milliseconds to the file named by VERDICT_CLOCK_FILE, instead of sleeping.
import { readFileSync } from "node:fs";
import { setting } from "./config/server-env";

export function now(): Date {
  const file = setting("VERDICT_CLOCK_FILE");
  if (file) {
    try {
      const offset = Number(readFileSync(file, "utf8").trim());
      if (Number.isFinite(offset)) return new Date(Date.now() + offset);
    } catch {
      // no file yet: real time
    }
  }
  return new Date();
}
