// GET /api/s/{token}/evidence — the signed evidence bundle of exactly the shared resource.
import { sharedRoute } from "@/lib/shares/shared-route";
import { sharedEvidenceBundle } from "@/lib/shares/shared-evidence";
import { bundleFilename, bundleResponse } from "@/lib/http/bundle-response";

export const dynamic = "force-dynamic";

export const GET = sharedRoute<{ token: string }>(async (_req, share) => {
  const lines = await sharedEvidenceBundle(share);
  return lines ? bundleResponse(lines, bundleFilename(`${share.resourceType}-${share.resourceId}`)) : null;
});
