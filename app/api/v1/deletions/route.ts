import { route } from "@/lib/http/route";
import { deletionLog } from "@/lib/retention/holds";

export const GET = route("read", async () => Response.json({ deletions: await deletionLog() }));
