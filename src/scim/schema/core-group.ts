// RFC 7643 §4.2 Group schema, as data. displayName is unique per tenant here (Entra matches on it).
import { GROUP_SCHEMA } from "../urns";
import type { SchemaDefinition } from "./attribute";
import { attr, complex, str } from "./define";

export const coreGroupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: "Group",
  description: "Group",
  attributes: [
    str("displayName", "A human-readable name for the Group.", { required: true, uniqueness: "server" }),
    complex(
      "members",
      "A list of members of the Group.",
      [
        str("value", "Identifier of the member of this Group.", { mutability: "immutable", caseExact: true }),
        attr("$ref", "reference", "The URI corresponding to a SCIM resource that is a member of this Group.", {
          mutability: "immutable",
          referenceTypes: ["User", "Group"],
        }),
        str("display", "A human-readable name, primarily used for display purposes.", { mutability: "readOnly" }),
        str("type", "A label indicating the type of resource, e.g., 'User' or 'Group'.", {
          mutability: "immutable",
          canonicalValues: ["User", "Group"],
        }),
      ],
      { multiValued: true },
    ),
  ],
};
