// Share links: creating, listing and revoking them (API key or session), and the two data
// requests of a shared page, authorized by the token in the path alone.
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { createdShareSchema, createShareSchema, shareListSchema } from "../records/share";
import { interceptDetailSchema, timelineQuerySchema, timelineResponseSchema } from "./timeline";

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
