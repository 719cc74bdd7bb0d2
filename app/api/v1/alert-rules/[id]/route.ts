import { route } from "@/lib/http/route";
import { removeAlertRule } from "@/lib/alerts/service";

export const DELETE = route<{ id: string }>("write", async (_req, { id }) => {
  await removeAlertRule(id);
  return new Response(null, { status: 204 });
});
