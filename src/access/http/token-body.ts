// The body of a token request, for both token dialects: form-urlencoded (what OAuth clients and
// Eptura's guide send) or JSON, size-capped, no repeated parameters. Failures are OAuth errors.
import { OAuthError } from "../oauth-error";

// A token request is a few hundred bytes; anything far larger is not one.
export const MAX_TOKEN_REQUEST_BYTES = 8 * 1024;

/** The request's parameters as a plain object (values still unchecked). */
export async function readTokenParameters(req: Request): Promise<unknown> {
  const type = req.headers.get("Content-Type") ?? "";
  const isJson = /^application\/json/i.test(type);
  if (!isJson && !/^application\/x-www-form-urlencoded/i.test(type) && type !== "") {
    throw new OAuthError("invalid_request", "send application/x-www-form-urlencoded");
  }
  const tooLarge = () => new OAuthError("invalid_request", `request body exceeds ${MAX_TOKEN_REQUEST_BYTES} bytes`);
  if (Number(req.headers.get("Content-Length") ?? "0") > MAX_TOKEN_REQUEST_BYTES) throw tooLarge();
  let raw: unknown;
  try {
    const text = new TextDecoder().decode(await req.arrayBuffer());
    if (text.length > MAX_TOKEN_REQUEST_BYTES) throw tooLarge();
    raw = isJson ? JSON.parse(text) : new URLSearchParams(text);
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    throw new OAuthError("invalid_request", "request body could not be parsed");
  }
  if (!(raw instanceof URLSearchParams)) return raw;
  const keys = [...raw.keys()];
  // RFC 6749 §3.2: parameters must not be included more than once.
  if (new Set(keys).size !== keys.length) throw new OAuthError("invalid_request", "a request parameter is repeated");
  return Object.fromEntries(raw);
}
