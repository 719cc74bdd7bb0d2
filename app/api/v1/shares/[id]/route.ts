import { route } from "@/lib/http/route";
import { revoke } from "@/lib/shares/service";

export const DELETE = route<{ id: string }>("write", async (_req, { id }) => {
  await revoke(id);
  return new Response(null, { status: 204 });
});
