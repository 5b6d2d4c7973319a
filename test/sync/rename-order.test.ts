// The pure rename planner (src/sync/engine/rename-order.ts): waves never target a name an unfinished
// rename still holds; cycles are broken by one temporary name each, which the hub's email rules accept.
import { describe, expect, it } from "vitest";
import { badEmailCharacters } from "../../src/scim/hub-naming-rules";
import { orderRenames, temporaryUserName, type PendingRename } from "../../src/sync/engine/rename-order";

let n = 0;
const random = () => `r${++n}`;

/** Replay the waves against a hub of unique names: every step must target a free name. */
function replay(renames: PendingRename[]) {
  const names = new Map(renames.map((r) => [r.id, r.from.toLowerCase()]));
  const waves = orderRenames(renames, random);
  for (const wave of waves) {
    for (const step of wave) {
      const target = step.userName.toLowerCase();
      const holder = [...names.entries()].find(([id, name]) => name === target && id !== step.id);
      expect(holder, `wave asks for ${target} held by ${holder?.[0]}`).toBeUndefined();
    }
    for (const step of wave) names.set(step.id, step.userName.toLowerCase());
  }
  for (const r of renames) expect(names.get(r.id)).toBe(r.to.toLowerCase());
  return waves;
}

describe("rename order", () => {
  it("independent renames and chains need no temporary name", () => {
    const waves = replay([
      { id: "1", from: "a@x.com", to: "b@x.com" },
      { id: "2", from: "b@x.com", to: "c@x.com" },
      { id: "3", from: "q@x.com", to: "r@x.com" },
    ]);
    expect(waves.flat().every((s) => s.final)).toBe(true);
    expect(waves.map((w) => w.map((s) => s.id).sort())).toEqual([["2", "3"], ["1"]]);
  });

  it("a swap and a rotation each take one temporary name", () => {
    const swap = replay([{ id: "1", from: "A@x.com", to: "b@x.com" }, { id: "2", from: "B@x.com", to: "a@x.com" }]);
    expect(swap.flat().filter((s) => !s.final)).toHaveLength(1);
    const rotation = replay([
      { id: "1", from: "a@x.com", to: "b@x.com" },
      { id: "2", from: "b@x.com", to: "c@x.com" },
      { id: "3", from: "c@x.com", to: "a@x.com" },
      { id: "4", from: "d@x.com", to: "e@x.com" },
      { id: "5", from: "e@x.com", to: "d@x.com" },
    ]);
    expect(rotation.flat().filter((s) => !s.final)).toHaveLength(2);
  });

  it("temporary names pass the hub's email rules and its 256-character limit", () => {
    for (const target of ["ann@example.com", "no-at-sign", `${"x".repeat(250)}@${"y".repeat(250)}.com`, "odd@dom(ain).com"]) {
      const temp = temporaryUserName(target, crypto.randomUUID());
      expect(badEmailCharacters(temp)).toEqual([]);
      expect(temp.length).toBeLessThanOrEqual(256);
      expect(temp).toMatch(/^renaming-[A-Za-z0-9]+@[A-Za-z0-9.-]+$/);
    }
  });
});
