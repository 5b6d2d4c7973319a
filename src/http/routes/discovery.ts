// Discovery endpoints (RFC 7644 §4). Truthful about what this deployment supports.
import { Hono } from "hono";
import { serviceProviderConfig } from "../../scim/service-provider-config";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../context";
import { scimJson } from "../respond";

export const discoveryRoutes = new Hono<AppEnv>().get("/ServiceProviderConfig", (c) =>
  scimJson(c, serviceProviderConfig(scimBaseUrl(c.get("origin")))),
);
