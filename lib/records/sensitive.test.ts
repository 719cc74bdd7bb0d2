import { describe, expect, it } from "vitest";
import { DEFAULT_SENSITIVE_KEYS, isSensitiveKey, MASK, maskSensitive, sensitiveKeysFromEnv } from "./sensitive";

const names = DEFAULT_SENSITIVE_KEYS;

describe("isSensitiveKey", () => {
  it("matches keys named like password, token, secret, api_key, authorization in any casing", () => {
    for (const key of ["password", "smtp_password", "DB_PASSWORD", "passwd", "token", "access_token", "refreshToken", "X-Auth-Token",
      "secret", "client_secret", "secretKey", "api_key", "apiKey", "API_KEY", "x-api-key", "APIKey", "XApiKey", "HTTPAuthorization", "OAuthToken", "Authorization", "authorization_header"]) {
      expect(isSensitiveKey(key, names), key).toBe(true);
    }
  });

  it("leaves look-alikes alone", () => {
    for (const key of ["max_tokens", "tokenizer", "secretary", "subject", "to", "keyword", "api", "author", "passage"]) {
      expect(isSensitiveKey(key, names), key).toBe(false);
    }
  });

  it("takes extra names from VERDICT_SENSITIVE_KEYS", () => {
    const extra = sensitiveKeysFromEnv({ VERDICT_SENSITIVE_KEYS: " ssn , iban,," });
    expect(extra).toEqual([...DEFAULT_SENSITIVE_KEYS, "ssn", "iban"]);
    expect(isSensitiveKey("customer_ssn", extra)).toBe(true);
    expect(isSensitiveKey("customer_ssn", names)).toBe(false);
  });
});

describe("maskSensitive", () => {
  it("masks sensitive values at any depth, including whole objects, and keeps the rest", () => {
    const input = {
      tool_call: { tool_name: "send_email", call_args: [{ token: "t-1" }], call_kwargs: { to: "a@b.c", smtp_password: "hunter2", auth: { apiKey: { id: 1 } } } },
      max_tokens: 100,
    };
    expect(maskSensitive(input, names)).toEqual({
      tool_call: { tool_name: "send_email", call_args: [{ token: MASK }], call_kwargs: { to: "a@b.c", smtp_password: MASK, auth: { apiKey: MASK } } },
      max_tokens: 100,
    });
  });

  it("keeps null (nothing to hide) and does not change its input", () => {
    const input = { password: null, secret: "s" };
    expect(maskSensitive(input, names)).toEqual({ password: null, secret: MASK });
    expect(input.secret).toBe("s");
  });

  it("never lets a masked value through, whatever its type", () => {
    for (const value of ["x", 42, true, ["a"], { nested: "y" }]) {
      expect(JSON.stringify(maskSensitive({ api_key: value }, names))).toBe(JSON.stringify({ api_key: MASK }));
    }
  });
});
