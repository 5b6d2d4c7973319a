// One hub read of a sweep. A transient failure stops the cycle for this run (it resumes from the
// same cursor); a contract failure (a 4xx other than 401/404/429, a malformed answer) is reported
// as what it is, and the cycle's sweep gives up after SWEEP_STUCK_RUNS (see run-tenant.ts).
import { CycleStop, describe, hubCalls, type SyncContext } from "../engine/context";

export async function sweepRead<T>(ctx: SyncContext, read: () => Promise<T>): Promise<T | "restart" | null> {
  const [r] = await hubCalls(ctx, [0], read);
  if (!r || !r.ok) {
    if (r && "error" in r) {
      if (r.error.code === "invalid_cursor") return "restart";
      const contract = r.error.kind === "badRequest" || r.error.kind === "invalidResponse" || r.error.kind === "notFound" || r.error.kind === "conflict";
      ctx.halt ??= new CycleStop(contract ? "hubContract" : "hubUnavailable", contract ? `hub contract error in a sweep: ${describe(r.error)}` : r.error.message);
    }
    return null;
  }
  return r.value;
}
