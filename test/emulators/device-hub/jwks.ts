// Test-only stand-in for Microsoft's JWKS endpoint (login.microsoftonline.com/…/discovery/keys):
// PUT /__test/jwks/{name} stores a public key set, GET serves it. Lets the Entra-token tests run
// the real createRemoteJWKSet fetch path without reaching the internet.
import { json } from "./http";

const sets = new Map<string, unknown>();

export async function testJwks(req: Request, name: string): Promise<Response> {
  if (req.method === "PUT") {
    sets.set(name, await req.json());
    return new Response(null, { status: 204 });
  }
  const set = sets.get(name);
  return set ? json(set) : new Response("no such key set", { status: 404 });
}
