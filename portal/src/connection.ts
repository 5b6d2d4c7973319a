// GET /portal/v1/connection: what the customer pastes into Entra (Tenant URL, token endpoint).
import { apiAt } from "../../console/src/api";

export interface Connection {
  tenant_id: string;
  tenant_name: string;
  tenant_url: string;
  token_endpoint: string;
}

export const readConnection = () => apiAt<Connection>("GET", "/portal/v1/connection");
