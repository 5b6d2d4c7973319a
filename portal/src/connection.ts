// GET /portal/v1/connection: what the customer pastes into Entra (Tenant URL, token endpoint), the
// same in the terms of Eptura's guide, and the extension schemas a mapping may target.
import { apiAt } from "../../console/src/api";

export interface ExtensionInfo {
  urn: string;
  builtIn: boolean;
  attributes: string[];
}

export interface Connection {
  tenant_id: string;
  tenant_name: string;
  tenant_url: string;
  token_endpoint: string;
  token_provider_url: string;
  eptura_tenant_url: string;
  extensions: ExtensionInfo[];
}

export const readConnection = () => apiAt<Connection>("GET", "/portal/v1/connection");
