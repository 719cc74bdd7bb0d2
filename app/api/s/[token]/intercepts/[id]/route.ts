import { sharedRoute } from "@/lib/shares/shared-route";
import { sharedIntercept } from "@/lib/shares/shared-data";

export const GET = sharedRoute<{ token: string; id: string }>(async (_req, share, { id }) => sharedIntercept(share, id));
