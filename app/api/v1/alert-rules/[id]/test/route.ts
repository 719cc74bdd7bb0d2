import { route } from "@/lib/http/route";
import { sendTestAlert } from "@/lib/alerts/service";

export const POST = route<{ id: string }>("write", async (_req, { id }) => Response.json({ delivery: await sendTestAlert(id) }));
