// Sign out: POST only (a GET could be a prefetch), from the dashboard's Sign out button.
import { route } from "@/lib/http/route";
import { signOutResponse } from "@/lib/http/session";

export const POST = route("none", async (req) => signOutResponse(req));
