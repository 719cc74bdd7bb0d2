// The `cursor` query parameter of the lists paged by (ts, id): decoded while the query is parsed,
// so a cursor this API did not return is a 400 naming `cursor`, like any other bad parameter.
import { z } from "zod";
import { decodeTsIdCursor, type TsIdCursor } from "../pagination/cursor";

export const tsIdCursorParam = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .optional()
    .describe("next_cursor of the previous page")
    .transform((v, ctx): TsIdCursor | undefined => {
      if (v === undefined) return undefined;
      const c = decodeTsIdCursor(v);
      if (c) return c;
      ctx.addIssue({ code: "custom", message: "is not a cursor this API returned" });
      return z.NEVER;
    });
