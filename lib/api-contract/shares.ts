// Share links: creating, listing and revoking them (API key or session), and the two data
// requests of a shared page, authorized by the token in the path alone.
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { timelineQuerySchema, timelineResponseSchema } from "./timeline";
import { interceptDetailSchema } from "./intercepts";

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

const unauthorized = { "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema } };
const notShared = { "404": { description: "The token is unknown, expired or revoked, or the share does not cover this record (one answer for all)", schema: errorEnvelopeSchema } };

export const SHARE_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/shares",
    summary: "Create a read-only, expiring share link to an agent, a handoff or an intercept (the token is in url, shown once)",
    auth: "write",
    body: createShareSchema,
    responses: {
      "201": { description: "The link; only its hash is stored", schema: createdShareSchema },
      "400": { description: "A field is not valid (details name it)", schema: errorEnvelopeSchema },
      ...unauthorized,
      "404": { description: "No such agent, handoff or intercept", schema: errorEnvelopeSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/shares",
    summary: "The share links, with status (active / expired / revoked) and views",
    auth: "read",
    responses: { "200": { description: "Every share link, newest first", schema: shareListSchema }, ...unauthorized },
  },
  {
    method: "delete",
    path: "/api/v1/shares/{id}",
    summary: "Revoke a share link: it answers 404 from then on",
    auth: "write",
    responses: {
      "204": { description: "Revoked" },
      ...unauthorized,
      "404": { description: "No such share link", schema: errorEnvelopeSchema },
    },
  },
  {
    method: "get",
    path: "/api/s/{token}/timeline",
    summary: "A shared agent's timeline, page by page (the agent comes from the share, never the request)",
    auth: "share-token",
    query: timelineQuerySchema,
    responses: {
      "200": { description: "A page of events; their links lead through the share", schema: timelineResponseSchema },
      "400": { description: "A query parameter is not valid (details name it)", schema: errorEnvelopeSchema },
      ...notShared,
    },
  },
  {
    method: "get",
    path: "/api/s/{token}/intercepts/{id}",
    summary: "An intercept the share covers; bodies replaced by their shape when the share redacts payloads",
    auth: "share-token",
    responses: { "200": { description: "The intercept", schema: interceptDetailSchema }, ...notShared },
  },
];
