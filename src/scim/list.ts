// ListResponse messages (RFC 7644 §3.4.2). Resources is always present, even when empty (ENTRA E08).
import { LIST_RESPONSE } from "./urns";

export function listResponse(
  resources: unknown[],
  page: { totalResults: number; startIndex: number; itemsPerPage?: number; nextCursor?: string },
) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: page.totalResults,
    startIndex: page.startIndex,
    itemsPerPage: page.itemsPerPage ?? resources.length,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    Resources: resources,
  };
}
