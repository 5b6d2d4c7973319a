// fast-check generators of schema-valid Users, Groups and filters over them, for the differential
// test of the SQL compiler against the evaluator (test/storage/filter-sql.test.ts).
import fc from "fast-check";
import type { AttributePath, CompareOperator, FilterNode, FilterValue } from "../../../src/scim/filter/ast";
import { ENT } from "./parse.cases";

/** Case and Unicode variants on purpose: ß, İ, Σ fold differently in JS and SQLite lower(). */
export const STRINGS = [
  "alice", "Alice", "ALICE", "al", "CE", "Ärger", "ärger", "ÄRGER", "straße", "STRASSE", "İstanbul", "istanbul",
  "Σίσυφος", "σίσυφος", "😀x", "\uFFFDz", "a", "", "bob", "Bob_1", "50%", "a_b", "x'y", 'q"r', "work", "WORK", "home",
];
export const INSTANTS = ["2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z", "2026-06-15T12:30:00.250Z", "2027-03-01T08:00:00.000Z"];
/** Filter spellings of (and around) the stored instants. */
const INSTANT_LITERALS = [...INSTANTS, "2026-01-01T00:00:00Z", "2026-06-15T13:30:00.250+01:00", "2026-06-15", "2026-12-31T23:59:59.999Z"];

export interface UserData {
  id: string;
  userName: string;
  active: boolean;
  created: string;
  lastModified: string;
  /** Optional attributes of the stored document besides userName/active (canonical layout). */
  extra: Record<string, unknown>;
}
export interface GroupData {
  id: string;
  displayName: string;
  externalId?: string;
  created: string;
  members: { value: string; type: "User" | "Group" }[];
}

const str = fc.constantFrom(...STRINGS);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const email = fc.record({ value: opt(str), type: opt(fc.constantFrom("work", "home", "Work")), primary: opt(fc.boolean()), display: opt(str) }).map(defined);

const userExtra = fc
  .record({
    externalId: opt(str),
    displayName: opt(str),
    title: opt(str),
    nickName: opt(str),
    name: opt(fc.record({ givenName: opt(str), familyName: opt(str) }).map(defined)),
    emails: opt(fc.array(email, { maxLength: 3 })),
    [ENT]: opt(fc.record({ department: opt(str), employeeNumber: opt(str), manager: opt(fc.record({ value: str })) }).map(defined)),
  })
  .map(defined);

/** Users (userName unique by JS toLowerCase, as users_user_name_uq demands) and Groups over them. */
export const dataset = fc
  .uniqueArray(str.filter((s) => s !== ""), { minLength: 2, maxLength: 8, selector: (s) => s.toLowerCase() })
  .chain((names) =>
    fc.tuple(
      fc.tuple(...names.map((userName, i) =>
        fc.record({ active: fc.boolean(), created: fc.constantFrom(...INSTANTS), lastModified: fc.constantFrom(...INSTANTS), extra: userExtra })
          .map((r): UserData => ({ id: `u${i}`, userName, ...r })),
      )),
      fc.uniqueArray(str.filter((s) => s !== ""), { minLength: 2, maxLength: 4, selector: (s) => s.toLowerCase() }),
    ),
  )
  .chain(([users, groupNames]) =>
    fc.tuple(
      fc.constant(users),
      fc.tuple(...groupNames.map((displayName, i) =>
        fc.record({
          externalId: opt(str),
          created: fc.constantFrom(...INSTANTS),
          userMembers: fc.subarray(users.map((u) => u.id)),
          groupMembers: fc.subarray(groupNames.map((_, j) => `g${j}`).filter((g) => g !== `g${i}`)),
        }).map((r): GroupData => ({
          id: `g${i}`,
          displayName,
          ...(r.externalId !== undefined ? { externalId: r.externalId } : {}),
          created: r.created,
          members: [...r.userMembers.map((value) => ({ value, type: "User" as const })), ...r.groupMembers.map((value) => ({ value, type: "Group" as const }))],
        })),
      )),
    ),
  );

// ---- Filters ----

const p = (text: string): AttributePath => {
  const colon = text.lastIndexOf(":");
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  const [attribute = "", subAttribute] = rest.split(".");
  return { ...(colon >= 0 ? { urn: text.slice(0, colon) } : {}), attribute, ...(subAttribute ? { subAttribute } : {}) };
};
const ALL_OPS: CompareOperator[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];
const ORDER_OPS: CompareOperator[] = ["eq", "ne", "gt", "ge", "lt", "le"];

const compare = (paths: string[], ops: CompareOperator[], values: fc.Arbitrary<FilterValue>) =>
  fc.record({ kind: fc.constant("compare" as const), path: fc.constantFrom(...paths).map(p), op: fc.constantFrom(...ops), value: values });
const nullCompare = (paths: string[]) =>
  fc.record({ kind: fc.constant("compare" as const), path: fc.constantFrom(...paths).map(p), op: fc.constantFrom<CompareOperator>("eq", "ne"), value: fc.constant(null) });
const present = (paths: string[]) => fc.record({ kind: fc.constant("present" as const), path: fc.constantFrom(...paths).map(p) });

function combine(leaf: fc.Arbitrary<FilterNode>, maxDepth: number): fc.Arbitrary<FilterNode> {
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof<fc.Arbitrary<FilterNode>[]>(
      { maxDepth, depthSize: "small" },
      leaf,
      fc.record({ kind: fc.constant("and" as const), left: tie("node"), right: tie("node") }),
      fc.record({ kind: fc.constant("or" as const), left: tie("node"), right: tie("node") }),
      fc.record({ kind: fc.constant("not" as const), filter: tie("node") }),
    ),
  })).node;
}

const strValue: fc.Arbitrary<FilterValue> = fc.oneof(str, fc.constant(5));
const USER_STRINGS = [
  "userName", "USERNAME", "displayName", "externalId", "id", "title", "nickName", "name.givenName", "name.familyName", "emails",
  "emails.value", "emails.type", "emails.display", `${ENT}:department`, `${ENT}:employeeNumber`, `${ENT}:manager.value`, "manager",
  "department", "groups", "groups.value", "groups.display",
];
const USER_PRESENT = [...USER_STRINGS, "active", "name", "emails.primary", `${ENT}:manager`, "phoneNumbers", "meta.created"];

const emailFilter = combine(
  fc.oneof(
    compare(["value", "type", "display"], ALL_OPS, strValue),
    compare(["primary"], ["eq", "ne"], fc.constantFrom<FilterValue>(true, false, "TRUE")),
    present(["value", "type", "primary", "display"]),
    nullCompare(["value", "type", "primary"]),
  ),
  2,
);

export const userFilter: fc.Arbitrary<FilterNode> = combine(
  fc.oneof(
    { arbitrary: compare(USER_STRINGS, ALL_OPS, strValue), weight: 6 },
    { arbitrary: compare(["active", "emails.primary"], ["eq", "ne"], fc.constantFrom<FilterValue>(true, false, "False")), weight: 1 },
    { arbitrary: compare(["meta.created", "meta.lastModified"], ORDER_OPS, fc.constantFrom(...INSTANT_LITERALS)), weight: 2 },
    { arbitrary: present(USER_PRESENT), weight: 2 },
    { arbitrary: nullCompare(["title", "name.givenName", "emails.value", "manager", "externalId"]), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant("valuePath" as const), path: fc.constant(p("emails")), filter: emailFilter }), weight: 2 },
    {
      arbitrary: fc.record({
        kind: fc.constant("valuePath" as const),
        path: fc.constantFrom(p("name"), p(`${ENT}:manager`), p("groups")),
        filter: fc.oneof(compare(["givenName", "familyName"], ALL_OPS, strValue), present(["givenName"])),
      }).map((n) => fixSubNames(n)),
      weight: 1,
    },
  ),
  3,
);

/** Sub-filters of name/manager/groups use names valid for that parent. */
function fixSubNames(node: Extract<FilterNode, { kind: "valuePath" }>): FilterNode {
  const sub = node.path.attribute === "name" ? undefined : node.path.attribute === "groups" ? "display" : "value";
  if (!sub) return node;
  const f = node.filter;
  return { ...node, filter: f.kind === "compare" || f.kind === "present" ? { ...f, path: { attribute: sub } } : f };
}

export const groupFilter: fc.Arbitrary<FilterNode> = combine(
  fc.oneof(
    compare(["displayName", "externalId", "id", "members", "members.value", "members.type"], ALL_OPS, fc.oneof(strValue, fc.constantFrom("u0", "U0", "g1", "user", "User"))),
    compare(["meta.created", "meta.lastModified"], ORDER_OPS, fc.constantFrom(...INSTANT_LITERALS)),
    present(["displayName", "externalId", "members", "members.value", "members.type"]),
    nullCompare(["externalId", "members.value"]),
    fc.record({
      kind: fc.constant("valuePath" as const),
      path: fc.constant(p("members")),
      filter: combine(
        fc.oneof(compare(["value"], ["eq", "ne", "sw"], fc.constantFrom("u0", "u1", "U1", "g0", "g")), compare(["type"], ["eq", "ne"], fc.constantFrom("User", "group"))),
        2,
      ),
    }),
  ),
  3,
);
