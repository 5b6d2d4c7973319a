// Stored user ↔ SCIM User document: schemas, id, meta (with location and version), groups.
import { etagOf } from "../etag";
import type { GroupRef, ScimDoc, StoredResource } from "../store";
import { USER_SCHEMA } from "../urns";

export function userResource(stored: StoredResource, groups: GroupRef[] | undefined, baseUrl: string): ScimDoc {
  // Extension objects are stored under their schema URN: each one present is listed.
  const schemas = [USER_SCHEMA, ...Object.keys(stored.doc).filter((k) => k.startsWith("urn:"))];
  return {
    schemas,
    id: stored.id,
    ...stored.doc,
    ...(groups
      ? { groups: groups.map((g) => ({ value: g.value, $ref: `${baseUrl}/Groups/${g.value}`, display: g.display, type: "direct" })) }
      : {}),
    meta: {
      resourceType: "User",
      created: stored.createdAt,
      lastModified: stored.updatedAt,
      location: `${baseUrl}/Users/${stored.id}`,
      version: etagOf(stored.version),
    },
  };
}
