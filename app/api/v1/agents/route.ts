import { route } from "@/lib/http/route";
import { getDb } from "@/lib/db/client";
import { agentSummaries } from "@/lib/agents/service";

export const GET = route("read", async () => Response.json({ agents: await agentSummaries(getDb()) }));
