// The order of one chunk's userName renames in the hub (pure). The hub refuses a name another user
// still holds, so a rename waits until the holder (one of the chunk's own renames) has moved
// away; a cycle of such waits (a swap, a rotation) is broken by moving one member to a temporary
// name first. Each wave's renames target names no unfinished rename of the chunk still holds,
// so the hub is never asked for a name it still holds on our account.
import { badEmailCharacters } from "../../scim/port";

export interface PendingRename {
  /** The SCIM id (the work item's resource). */
  id: string;
  /** The name the hub holds for it now (as the mirror knows it). */
  from: string;
  /** The name SCIM wants. */
  to: string;
}

export interface RenameStep {
  id: string;
  userName: string;
  /** false: a temporary name that breaks a cycle; the final rename follows in a later wave. */
  final: boolean;
}

const HUB_MAX_USER_NAME = 256;

/**
 * A temporary userName no one holds: shaped like an email address (the hub's naming rules for
 * emails allow it, so a hub that checks userNames the same way accepts it) and ≤ 256 characters.
 */
export function temporaryUserName(target: string, random: string): string {
  const at = target.lastIndexOf("@");
  const domain = at > 0 ? target.slice(at + 1).replace(/[^A-Za-z0-9.-]/g, "") : "";
  const local = `renaming-${random.replace(/[^A-Za-z0-9]/g, "").slice(0, 16)}`;
  const name = domain ? `${local}@${domain}` : `${local}@renaming.invalid`;
  const safe = name.length <= HUB_MAX_USER_NAME && badEmailCharacters(name).length === 0 ? name : `${local}@renaming.invalid`;
  return safe;
}

/** The waves of hub renames: each wave's steps may run at once; waves run in order. */
export function orderRenames(renames: PendingRename[], random: () => string): RenameStep[][] {
  const lc = (s: string) => s.toLowerCase();
  const open = new Map(renames.map((r) => [r.id, r]));
  /** Name → the unfinished rename whose user holds it now (names are unique in the hub). */
  const holder = new Map(renames.map((r) => [lc(r.from), r.id]));
  const waitsFor = (r: PendingRename) => {
    const h = holder.get(lc(r.to));
    return h !== undefined && h !== r.id ? h : undefined;
  };
  const waves: RenameStep[][] = [];
  while (open.size > 0) {
    const ready = [...open.values()].filter((r) => waitsFor(r) === undefined);
    if (ready.length > 0) {
      waves.push(ready.map((r) => ({ id: r.id, userName: r.to, final: true })));
      for (const r of ready) {
        holder.delete(lc(r.from));
        open.delete(r.id);
      }
      continue;
    }
    // Every open rename waits for another: follow the waits from any of them into a cycle, and
    // move the rename where it closes to a temporary name (freeing the name its waiter wants).
    const seen = new Set<string>();
    let at = open.keys().next().value as string;
    while (!seen.has(at)) {
      seen.add(at);
      at = waitsFor(open.get(at)!)!;
    }
    const breaker = open.get(at)!;
    const temp = temporaryUserName(breaker.to, random());
    waves.push([{ id: breaker.id, userName: temp, final: false }]);
    holder.delete(lc(breaker.from));
    const moved = { ...breaker, from: temp };
    open.set(breaker.id, moved);
    holder.set(lc(temp), breaker.id);
  }
  return waves;
}
