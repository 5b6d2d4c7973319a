// RFC 7643 §4.1 User schema, as data. password is writeOnly/returned never.
import { USER_SCHEMA } from "../urns";
import type { SchemaDefinition } from "./attribute";
import { attr, complex, multiValued, str } from "./define";

export const coreUserSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: "User",
  description: "User Account",
  attributes: [
    str("userName", "Unique identifier for the User, typically used by the user to directly authenticate to the service provider.", {
      required: true,
      uniqueness: "server",
    }),
    complex("name", "The components of the user's real name.", [
      str("formatted", "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display."),
      str("familyName", "The family name of the User, or last name in most Western languages."),
      str("givenName", "The given name of the User, or first name in most Western languages."),
      str("middleName", "The middle name(s) of the User."),
      str("honorificPrefix", "The honorific prefix(es) of the User, or title in most Western languages."),
      str("honorificSuffix", "The honorific suffix(es) of the User, or suffix in most Western languages."),
    ]),
    str("displayName", "The name of the User, suitable for display to end-users."),
    str("nickName", "The casual way to address the user in real life."),
    attr("profileUrl", "reference", "A fully qualified URL pointing to a page representing the User's online profile.", {
      referenceTypes: ["external"],
    }),
    str("title", "The user's title, such as \"Vice President.\""),
    str("userType", "Used to identify the relationship between the organization and the user."),
    str("preferredLanguage", "Indicates the User's preferred written or spoken language."),
    str("locale", "Used to indicate the User's default location for purposes of localizing items."),
    str("timezone", "The User's time zone in the 'Olson' time zone database format."),
    attr("active", "boolean", "A Boolean value indicating the User's administrative status."),
    str("password", "The User's cleartext password, write-only.", { mutability: "writeOnly", returned: "never" }),
    multiValued("emails", "Email addresses for the user.", { description: "Email addresses for the user." }, ["work", "home", "other"]),
    multiValued("phoneNumbers", "Phone numbers for the User.", { description: "Phone number of the User." }, [
      "work",
      "home",
      "mobile",
      "fax",
      "pager",
      "other",
    ]),
    multiValued("ims", "Instant messaging addresses for the User.", { description: "Instant messaging address for the User." }, [
      "aim",
      "gtalk",
      "icq",
      "xmpp",
      "msn",
      "skype",
      "qq",
      "yahoo",
    ]),
    multiValued(
      "photos",
      "URLs of photos of the User.",
      { type: "reference", description: "URL of a photo of the User.", referenceTypes: ["external"] },
      ["photo", "thumbnail"],
    ),
    complex(
      "addresses",
      "A physical mailing address for this User.",
      [
        str("formatted", "The full mailing address, formatted for display or use with a mailing label."),
        str("streetAddress", "The full street address component."),
        str("locality", "The city or locality component."),
        str("region", "The state or region component."),
        str("postalCode", "The zip code or postal code component."),
        str("country", "The country name component."),
        str("type", "A label indicating the attribute's function.", { canonicalValues: ["work", "home", "other"] }),
        attr("primary", "boolean", "Indicates the 'primary' or preferred address."),
      ],
      { multiValued: true },
    ),
    complex(
      "groups",
      "A list of groups to which the user belongs, either through direct membership or nested groups.",
      [
        str("value", "The identifier of the User's group.", { mutability: "readOnly" }),
        attr("$ref", "reference", "The URI of the corresponding 'Group' resource.", {
          mutability: "readOnly",
          referenceTypes: ["User", "Group"],
        }),
        str("display", "A human-readable name, primarily used for display purposes.", { mutability: "readOnly" }),
        str("type", "A label indicating the attribute's function.", {
          mutability: "readOnly",
          canonicalValues: ["direct", "indirect"],
        }),
      ],
      { multiValued: true, mutability: "readOnly" },
    ),
    multiValued("entitlements", "A list of entitlements for the User.", { description: "The value of an entitlement." }, undefined),
    multiValued("roles", "A list of roles for the User.", { description: "The value of a role." }, undefined),
    multiValued(
      "x509Certificates",
      "A list of certificates issued to the User.",
      { type: "binary", description: "The value of an X.509 certificate.", caseExact: true },
      undefined,
    ),
  ],
};
