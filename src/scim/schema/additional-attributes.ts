// The "additional attributes" User extension of Eptura's SCIM API, declared for every tenant on the
// same mechanism as an admin's own extensions. Its URN is Microsoft's placeholder name, exactly as
// Eptura's attribute-mapping pages and Entra's custom attribute mappings write it.
import type { SchemaDefinition } from "./attribute";
import { str } from "./define";

export const ADDITIONAL_ATTRIBUTES_SCHEMA = "urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User";

export const additionalAttributesSchema: SchemaDefinition = {
  id: ADDITIONAL_ATTRIBUTES_SCHEMA,
  name: "AdditionalAttributes",
  description: "Additional user attributes for workplace and booking platforms",
  attributes: [
    str("group", "The user's group or team, as the booking platform names it."),
    str("floor", "The floor the user works on."),
    str("businessCategory", "The user's business category."),
    str("image", "A URL or reference to the user's picture."),
    str("phoneExtension", "The user's internal phone extension."),
    str("workMode", "How the user works, for example on site, hybrid or remote."),
    str("officeLocation", "The office the user works from."),
    str("custom", "Free-form custom values.", { multiValued: true }),
  ],
};
