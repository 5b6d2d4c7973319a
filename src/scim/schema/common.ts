// RFC 7643 §3.1 common attributes (id, externalId, meta). They belong to every resource but are
// not part of any schema's /Schemas listing; the registry resolves them like core attributes.
import type { AttributeDefinition } from "./attribute";
import { attr, complex, str } from "./define";

export const commonAttributes: readonly AttributeDefinition[] = [
  str("id", "A unique identifier for a SCIM resource as defined by the service provider.", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  str("externalId", "A String that is an identifier for the resource as defined by the provisioning client.", {
    caseExact: true,
  }),
  complex(
    "meta",
    "A complex attribute containing resource metadata.",
    [
      str("resourceType", "The name of the resource type of the resource.", { mutability: "readOnly", caseExact: true }),
      attr("created", "dateTime", "The DateTime that the resource was added to the service provider.", { mutability: "readOnly" }),
      attr("lastModified", "dateTime", "The most recent DateTime that the details of this resource were updated.", {
        mutability: "readOnly",
      }),
      attr("location", "reference", "The URI of the resource being returned.", { mutability: "readOnly", caseExact: true }),
      str("version", "The version of the resource being returned.", { mutability: "readOnly", caseExact: true }),
    ],
    { mutability: "readOnly" },
  ),
];
