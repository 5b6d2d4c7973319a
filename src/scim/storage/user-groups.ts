// The rows behind a user's read-only `groups` attribute, grouped per user.
import type { GroupRef } from "../store";

export type GroupRow = { member_id: string; group_id: string; display_name: string };

/** Group rows (member → group) into each user's list of GroupRefs. */
export function groupRefs(rows: GroupRow[]): Map<string, GroupRef[]> {
  const out = new Map<string, GroupRef[]>();
  for (const r of rows) {
    const list = out.get(r.member_id) ?? [];
    list.push({ value: r.group_id, display: r.display_name });
    out.set(r.member_id, list);
  }
  return out;
}

