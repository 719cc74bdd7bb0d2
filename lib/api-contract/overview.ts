// The overview page's "Needs attention" panel: what a reviewer should look at next. Not an API
// response — the page hands it to its component — but one schema all the same, so the
// component's type is z.infer of it rather than a second hand-written interface.
import { z } from "zod";

export const attentionHandoffSchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  task: z.string().nullable(),
  created_at: z.string(),
  category: z.string().nullable(),
  primary_cause: z.string().nullable(),
  evaluator_outcome: z.string().nullable(),
  verdict_outcome: z.string().nullable(),
});

export const attentionLeakSchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  action_name: z.string(),
  source_url: z.string(),
  created_at: z.string(),
});

export const needsAttentionSchema = z.object({
  days: z.array(z.object({ day: z.string().describe("YYYY-MM-DD, UTC"), counts: z.record(z.string(), z.number().int()) })).describe("oldest first; CAUGHT per category (\"none\": no cause found)"),
  categories: z.array(z.string()),
  unreviewed: z.object({ count: z.number().int(), newest: z.array(attentionHandoffSchema) }),
  disagreements: z.object({ count: z.number().int(), newest: z.array(attentionHandoffSchema) }),
  leaks: z.array(attentionLeakSchema),
});

export type AttentionHandoff = z.infer<typeof attentionHandoffSchema>;
export type AttentionLeak = z.infer<typeof attentionLeakSchema>;
export type NeedsAttention = z.infer<typeof needsAttentionSchema>;
