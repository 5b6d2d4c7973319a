// Response helpers: SCIM content type, ETag and Location headers.
import { SCIM_CONTENT_TYPE } from "../scim/urns";
import { scimErrorBody, type ScimError } from "../scim/errors";

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": SCIM_CONTENT_TYPE, ...headers },
  });
}

export function scimErrorResponse(err: ScimError) {
  return new Response(JSON.stringify(scimErrorBody(err)), {
    status: err.status,
    headers: { "Content-Type": SCIM_CONTENT_TYPE, ...err.headers },
  });
}
