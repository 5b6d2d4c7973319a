// Device Hub emulator: one Durable Object (SQLite storage) per API key = one isolated hub workspace.
// It counts each data-API call per route, applies injected faults, then routes to the handlers.
import { DurableObject } from "cloudflare:workers";
import { handleControl } from "./control";
import { latencyMs, migrate } from "./db";
import { HeldAnswers, runFault, takeFault } from "./faults";
import { handleGroups } from "./groups";
import { errorResponse, fromHubError, HubHttpError } from "./http";
import { handleUsers } from "./users";

export interface EmulatorEnv {
  HUB: DurableObjectNamespace<HubWorkspace>;
}

/** "/v1/groups/grp_x/members/add" → "/v1/groups/:id/members/add", for the call counters. */
export function routeKey(method: string, segments: string[]): string {
  const path = segments.map((s, i) => (i === 2 && s !== "batch" ? ":id" : s)).join("/");
  return `${method} /${path}`;
}

function toResponse(e: unknown): Response {
  if (e instanceof HubHttpError) return fromHubError(e);
  console.error("device-hub emulator: unexpected error", e);
  return errorResponse(500, "internal", "internal emulator error");
}

function splitPath(pathname: string): string[] {
  try {
    return pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new HubHttpError(400, "invalid_request", "malformed path");
  }
}

export class HubWorkspace extends DurableObject<EmulatorEnv> {
  private readonly sql: SqlStorage;
  private readonly held = new HeldAnswers();

  constructor(ctx: DurableObjectState, env: EmulatorEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(this.sql);
  }

  override async fetch(req: Request): Promise<Response> {
    const res = await this.dispatch(req);
    // Answering without reading a forwarded body (faults, 404s) makes workerd log
    // "Can't read from request stream after response has been sent"; drain it first.
    if (req.body && !req.bodyUsed) await req.arrayBuffer().catch(() => undefined);
    return res;
  }

  private async dispatch(req: Request): Promise<Response> {
    try {
      const url = new URL(req.url);
      const segments = splitPath(url.pathname);
      if (segments[0] === "__control") {
        const deps = { sql: this.sql, held: this.held, api: (r: Request, u: URL, s: string[]) => this.api(r, u, s) };
        return (await handleControl(deps, req, url, segments.slice(1))) ?? errorResponse(404, "not_found", "no such control route");
      }
      this.sql.exec(
        "INSERT INTO calls (route, count) VALUES (?, 1) ON CONFLICT (route) DO UPDATE SET count = count + 1",
        routeKey(req.method, segments),
      );
      const fault = takeFault(this.sql, req.method, url.pathname);
      const delay = latencyMs(this.sql);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const handle = () => this.api(req, url, segments);
      return fault ? await runFault(fault, handle, this.held) : await handle();
    } catch (e) {
      return toResponse(e);
    }
  }

  /** The data API proper; never throws (errors become contract error bodies). */
  private async api(req: Request, url: URL, segments: string[]): Promise<Response> {
    try {
      const [version, resource, ...rest] = segments;
      let res: Response | undefined;
      if (version === "v1" && resource === "users") res = await handleUsers(this.sql, req, url, rest);
      else if (version === "v1" && resource === "groups") res = await handleGroups(this.sql, req, url, rest);
      return res ?? errorResponse(404, "not_found", `no route for ${req.method} ${url.pathname}`);
    } catch (e) {
      return toResponse(e);
    }
  }
}
