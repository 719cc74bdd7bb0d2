// One CLI run in its own process, so its peak RSS is its own: `export` or `verify-bundle`.
// Prints one JSON line: { code, seconds, max_rss_mb }.
import { main } from "../../lib/cli/main";

const t0 = performance.now();
const code = await main(process.argv.slice(2), () => {});
const seconds = (performance.now() - t0) / 1000;
// resourceUsage().maxRSS is in kilobytes (the process's high-water mark).
console.log(JSON.stringify({ code, seconds: Math.round(seconds * 10) / 10, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
process.exit(code);
