import { route } from "@/lib/http/route";
import { getDb } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";

export const GET = route("none", async () => {
  const { db, dialect } = getDb();
  try {
    await db.$queryRawUnsafe("SELECT 1");
  } catch {
    throw new ApiError(503, "database_unavailable", `The ${dialect} database does not answer.`);
  }
  return Response.json({ status: "ok", database: dialect });
});
