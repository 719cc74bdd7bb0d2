// Calls route handlers as Next.js would, with a real Request.
export const TEST_KEY = "test-key-0123456789abcdef";

export function jsonRequest(url: string, body: unknown, init: { method?: string; key?: string | null; contentType?: string } = {}): Request {
  const headers: Record<string, string> = { "content-type": init.contentType ?? "application/json" };
  const key = init.key === undefined ? TEST_KEY : init.key;
  if (key) headers.authorization = `Bearer ${key}`;
  return new Request(`http://localhost${url}`, {
    method: init.method ?? "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function getRequest(url: string, key: string | null = null): Request {
  return new Request(`http://localhost${url}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

export const noParams = { params: Promise.resolve({}) };
export const withParams = <P>(p: P) => ({ params: Promise.resolve(p) });
