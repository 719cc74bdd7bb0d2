// What one API operation looks like to the OpenAPI generator (lib/openapi.ts). Its own
// module so the contracts in lib/api-contract/ and the generator that collects them do not
// import each other.
import type { z } from "zod";

type Method = "get" | "post" | "delete";

export interface Endpoint {
  method: Method;
  path: string;
  summary: string;
  auth: "write" | "read" | "none" | "share-token";
  query?: z.ZodObject;
  body?: z.ZodType;
  /** binary media types the body may also come as (e.g. OTLP protobuf); "200" answers in the same one */
  binaryBodies?: { contentType: string; description: string }[];
  responses: Record<string, { description: string; schema?: z.ZodType }>;
}
