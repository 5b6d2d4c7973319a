// Device Hub emulator: the test/dev control API under /__control (never part of the hub contract).
// The bearer key selects the workspace, like the data API. Control calls are not counted or faulted.
import { groupToWire, memberToWire, TABLES, userToWire, type GroupRow, type MemberRow, type UserRow } from "./db";
import { addFault, FaultBody, listFaults, type HeldAnswers } from "./faults";
import { json, noContent, readBody } from "./http";
import { z } from "zod";

/** `PUT /__control/paging {maxPage}`: answer list calls with at most this many items per page. */
const PagingBody = z.strictObject({ maxPage: z.number().int().min(1).max(500) });
/** `PUT /__control/latency {minMs, maxMs}`: every data call answers after a delay in that range. */
const LatencyBody = z.strictObject({ minMs: z.number().int().min(0).max(10_000), maxMs: z.number().int().min(0).max(10_000) })
  .refine((b) => b.minMs <= b.maxMs, "minMs must not exceed maxMs");

export interface ControlDeps {
  sql: SqlStorage;
  /** Answers held by "hold" faults (GET held counts them, POST release lets them go). */
  held: HeldAnswers;
  /** The data API without counting or faults: drift behind the connector's back. */
  api: (req: Request, url: URL, segments: string[]) => Promise<Response>;
}

function dumpState(sql: SqlStorage) {
  const counts = new Map(
    sql.exec<{ group_id: string; n: number }>("SELECT group_id, count(*) AS n FROM members GROUP BY group_id").toArray().map((r) => [r.group_id, r.n]),
  );
  return {
    users: sql.exec<UserRow>("SELECT * FROM users ORDER BY seq").toArray().map(userToWire),
    groups: sql.exec<GroupRow>("SELECT * FROM groups ORDER BY seq").toArray().map((g) => groupToWire(g, counts.get(g.id) ?? 0)),
    members: sql.exec<MemberRow>("SELECT * FROM members ORDER BY seq").toArray().map((m) => ({ groupId: m.group_id, ...memberToWire(m) })),
  };
}

function dumpCalls(sql: SqlStorage) {
  const rows = sql.exec<{ route: string; count: number }>("SELECT route, count FROM calls ORDER BY route").toArray();
  return { total: rows.reduce((n, r) => n + r.count, 0), byRoute: Object.fromEntries(rows.map((r) => [r.route, r.count])) };
}

/** `segments` starts after "__control". Undefined: no such control route. */
export async function handleControl(deps: ControlDeps, req: Request, url: URL, segments: string[]): Promise<Response | undefined> {
  const { sql } = deps;
  const [what, ...rest] = segments;
  const route = `${req.method} ${what ?? ""}`;
  if (what === "api") return deps.api(req, url, rest);
  switch (route) {
    case "POST reset":
      for (const table of TABLES) sql.exec(`DELETE FROM ${table}`);
      return noContent();
    case "GET state":
      return json(dumpState(sql));
    case "GET calls":
      return json(dumpCalls(sql));
    case "DELETE calls":
      sql.exec("DELETE FROM calls");
      return noContent();
    case "GET faults":
      return json({ faults: listFaults(sql) });
    case "POST faults":
      return json({ id: addFault(sql, await readBody(req, FaultBody)) }, 201);
    case "GET held":
      return json({ held: deps.held.count });
    case "POST release":
      return json({ released: deps.held.releaseAll() });
    case "PUT paging":
      sql.exec("INSERT INTO settings (key, value) VALUES ('maxPage', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", String((await readBody(req, PagingBody)).maxPage));
      return noContent();
    case "PUT latency":
      sql.exec("INSERT INTO settings (key, value) VALUES ('latency', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", JSON.stringify(await readBody(req, LatencyBody)));
      return noContent();
    case "DELETE faults":
      sql.exec("DELETE FROM faults");
      return noContent();
    default:
      return undefined;
  }
}
