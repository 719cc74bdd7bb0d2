import { route } from "@/lib/http/route";
import { ruleDeliveries } from "@/lib/alerts/service";

export const GET = route<{ id: string }>("read", async (_req, { id }) => Response.json({ deliveries: await ruleDeliveries(id) }));
