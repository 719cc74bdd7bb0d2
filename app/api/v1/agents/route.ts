import { route } from "@/lib/http/route";
import { getDb } from "@/lib/db/client";
import { listAgents } from "@/lib/db/queries/agents";

export const GET = route("read", async () => Response.json({ agents: await listAgents(getDb()) }));
