import { route } from "@/lib/http/route";
import { parseJsonBody } from "@/lib/http/errors";
import { createAlertRuleSchema } from "@/lib/api-contract/alerts";
import { createAlertRule, listAlertRuleViews } from "@/lib/alerts/service";

export const POST = route("write", async (req) => {
  const input = await parseJsonBody(createAlertRuleSchema, req, 64 * 1024);
  return Response.json(await createAlertRule(input), { status: 201 });
});

export const GET = route("read", async () => Response.json({ alert_rules: await listAlertRuleViews() }));
