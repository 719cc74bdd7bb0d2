import { describe, expect, it } from "vitest";
import { DEFAULT_SENSITIVE_KEYS, isSensitiveKey, sensitiveKeysFromEnv } from "./sensitive";

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
