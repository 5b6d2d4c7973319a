// Device Hub emulator Worker (test/dev only): authenticates the bearer API key and hands the request
// to that key's workspace Durable Object. Any non-empty key is accepted: each key is its own empty hub.
import { errorResponse, json } from "./http";
import { testJwks } from "./jwks";
import type { EmulatorEnv } from "./workspace";

export { HubWorkspace } from "./workspace";

const BEARER = /^Bearer\s+(\S{1,512})\s*$/i;

export default {
  async fetch(req: Request, env: EmulatorEnv): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/health") return json({ ok: true, service: "device-hub-emulator" });
    const jwks = /^\/__test\/jwks\/([\w-]{1,64})$/.exec(url.pathname);
    if (jwks) return testJwks(req, jwks[1]!);
    const key = BEARER.exec(req.headers.get("Authorization") ?? "")?.[1];
    if (!key) {
      return errorResponse(401, "unauthorized", "missing or malformed bearer API key", undefined, { "WWW-Authenticate": "Bearer" });
    }
    return env.HUB.get(env.HUB.idFromName(key)).fetch(req);
  },
} satisfies ExportedHandler<EmulatorEnv>;
