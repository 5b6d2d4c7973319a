// GET /portal/v1/connection: what the customer pastes into Entra (Tenant URL, token endpoint), the
// same in the terms of Eptura's guide, and the extension schemas a mapping may target.
import { apiAt } from "../../console/src/api";
import type { ConnectionJson, ExtensionInfoJson } from "../../src/access/http/responses";

export type ExtensionInfo = ExtensionInfoJson;
export type Connection = ConnectionJson;

export const readConnection = () => apiAt<Connection>("GET", "/portal/v1/connection");
