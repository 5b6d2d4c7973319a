// The ServiceProviderConfig document (RFC 7643 §5). Only features that exist are claimed.
import { BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD_BYTES } from "./bulk/request";
import { CURSOR_TIMEOUT_S } from "./cursor-timeout";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SERVICE_PROVIDER_CONFIG_SCHEMA } from "./urns";

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: "https://github.com/edge-scim/edge-scim/blob/main/docs/scim.md",
    patch: { supported: true },
    bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD_BYTES },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    pagination: {
      cursor: true,
      index: true,
      cursorTimeout: CURSOR_TIMEOUT_S,
      defaultPaginationMethod: "index",
      defaultPageSize: DEFAULT_PAGE_SIZE,
      maxPageSize: MAX_PAGE_SIZE,
    },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description:
          "A bearer JWT from this service's OAuth 2.0 client-credentials token endpoint, or a long-lived token issued by an administrator.",
        specUri: "https://www.rfc-editor.org/rfc/rfc6750",
        primary: true,
      },
    ],
    meta: {
      resourceType: "ServiceProviderConfig",
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}
