// GET /api/v1/integrity/public-key — public on purpose: whoever received a bundle or a share
// link checks its signature against this key; it is no secret.
import { route } from "@/lib/http/route";
import { getDb } from "@/lib/db/client";
import { publicKeys } from "@/lib/db/queries/signing-keys";

export const dynamic = "force-dynamic";

export const GET = route("none", async () => {
  const h = getDb();
  const keys = await publicKeys(h);
  const current = keys.find((k) => k.current)!;
  return Response.json({ algorithm: "ed25519", fingerprint: current.fingerprint, public_key: current.public_key, keys });
});
