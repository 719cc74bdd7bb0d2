import { z } from "zod";

/** How long a share link lasts unless asked otherwise, and the bounds on what may be asked. */
export const DEFAULT_EXPIRY_SECONDS = 7 * 24 * 3600;
export const MAX_EXPIRY_SECONDS = 30 * 24 * 3600;
export const MIN_EXPIRY_SECONDS = 60;

export const SHARE_RESOURCE_TYPES = ["agent", "handoff", "intercept"] as const;
export type ShareResourceType = (typeof SHARE_RESOURCE_TYPES)[number];

/** POST /api/v1/shares */
export const createShareSchema = z.strictObject({
  resource_type: z.enum(SHARE_RESOURCE_TYPES),
  resource_id: z.string().min(1).max(1000),
  expires_in_seconds: z
    .number()
    .int()
    .min(MIN_EXPIRY_SECONDS, `must be at least ${MIN_EXPIRY_SECONDS} seconds`)
    .max(MAX_EXPIRY_SECONDS, "must be at most 30 days (2592000 seconds)")
    .optional()
    .default(DEFAULT_EXPIRY_SECONDS),
  redact_payloads: z.boolean().optional().default(false),
});
export type CreateShareInput = z.input<typeof createShareSchema>;

export const createdShareSchema = z.object({ id: z.string(), url: z.string(), expires_at: z.string() });

export const shareViewSchema = z.object({
  id: z.string(),
  resource_type: z.enum(SHARE_RESOURCE_TYPES),
  resource_id: z.string(),
  redact_payloads: z.boolean(),
  created_at: z.string(),
  expires_at: z.string(),
  revoked_at: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked"]),
  view_count: z.number().int(),
  last_viewed_at: z.string().nullable(),
});
export type ShareView = z.infer<typeof shareViewSchema>;
export const shareListSchema = z.object({ shares: z.array(shareViewSchema) });
