import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("openApiDocument", () => {
  it("describes ingest with the record schemas, generated from Zod", () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> };
    expect(doc.openapi).toBe("3.1.0");
    const body = JSON.stringify(doc.paths["/api/v1/ingest"].post.requestBody);
    for (const field of ["agent_id", "action_name", "source_url", "callback_result", "trusted_endpoint_registry"]) expect(body).toContain(field);
  });
});
