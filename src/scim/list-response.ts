// ListResponse messages (RFC 7644 §3.4.2). Resources is always present, even when empty.
import { LIST_RESPONSE } from "./urns";

export function listResponse(
  resources: unknown[],
  // startIndex is absent in cursor paging (RFC 9865 §2.2), where positions are not indices.
  page: { totalResults: number; startIndex?: number; itemsPerPage?: number; nextCursor?: string },
) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: page.totalResults,
    ...(page.startIndex !== undefined ? { startIndex: page.startIndex } : {}),
    itemsPerPage: page.itemsPerPage ?? resources.length,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    Resources: resources,
  };
}
