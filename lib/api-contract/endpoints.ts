// Every operation of API v1 with the Zod schemas of what it takes and answers: the OpenAPI
// document (lib/openapi.ts) is generated from this list, and the integration tests parse each
// response with the schema registered here. A route that gains a schema registers it here.
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { INGEST_ENDPOINTS } from "./ingest";
import { HANDOFF_ENDPOINTS } from "./handoffs";
import { INTERCEPT_ENDPOINTS } from "./intercepts";
import { OTLP_ENDPOINTS } from "./otlp";
import { TIMELINE_ENDPOINTS } from "./timeline";
import { POLICY_ENDPOINTS } from "./policy";
import { ALERT_ENDPOINTS } from "./alerts";
import { SHARE_ENDPOINTS } from "./shares";
import { REVIEW_ENDPOINTS } from "./reviews";
import { RETENTION_ENDPOINTS } from "./retention";
import { EVIDENCE_ENDPOINTS } from "./evidence";

export const healthSchema = z.object({ status: z.literal("ok"), database: z.enum(["sqlite", "postgresql"]) });

export const ENDPOINTS: Endpoint[] = [
  ...INGEST_ENDPOINTS,
  {
    method: "post",
    path: "/api/sign-out",
    summary: "End the dashboard session (clears the session cookie), then go to the sign-in page",
    auth: "none",
    responses: {
      "303": { description: "Cookie cleared; Location: /sign-in" },
      "403": { description: "Posted from another site (Origin differs)", schema: errorEnvelopeSchema },
    },
  },
  {
    method: "get",
    path: "/api/health",
    summary: "Liveness and the kind of database",
    auth: "none",
    responses: { "200": { description: "Verdict and its database answer", schema: healthSchema } },
  },
  ...HANDOFF_ENDPOINTS,
  ...OTLP_ENDPOINTS,
  ...TIMELINE_ENDPOINTS,
  ...INTERCEPT_ENDPOINTS,
  ...POLICY_ENDPOINTS,
  ...ALERT_ENDPOINTS,
  ...SHARE_ENDPOINTS,
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    auth: "none",
    responses: { "200": { description: "The OpenAPI 3.1 document of API v1" } },
  },
  ...REVIEW_ENDPOINTS,
  ...RETENTION_ENDPOINTS,
  ...EVIDENCE_ENDPOINTS,
];

