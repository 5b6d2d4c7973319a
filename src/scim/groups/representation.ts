// Stored group ↔ SCIM Group document: schemas, id, members (when loaded), meta.
import { etagOf } from "../etag";
import type { MemberRef, ScimDoc, StoredResource } from "../store";
import { GROUP_SCHEMA } from "../urns";

export function groupResource(stored: StoredResource, members: MemberRef[] | undefined, baseUrl: string): ScimDoc {
  return {
    schemas: [GROUP_SCHEMA, ...Object.keys(stored.doc).filter((k) => k.startsWith("urn:"))],
    id: stored.id,
    ...stored.doc,
    ...(members
      ? {
          members: members.map((m) => ({
            value: m.value,
            $ref: `${baseUrl}/${m.type === "Group" ? "Groups" : "Users"}/${m.value}`,
            type: m.type,
            ...(m.display ? { display: m.display } : {}),
          })),
        }
      : {}),
    meta: {
      resourceType: "Group",
      created: stored.createdAt,
      lastModified: stored.updatedAt,
      location: `${baseUrl}/Groups/${stored.id}`,
      version: etagOf(stored.version),
    },
  };
}
