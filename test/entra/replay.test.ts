// Replays recorded Entra request/response interactions (fixtures/*.json) against a fresh tenant.
// Each step's expected body is a partial match: every listed key must match; "$absent" means the
// key must not be there. `{{name}}` takes a saved value or a fresh random one; `save` reads a
// dotted path out of the response body.
import { describe, expect, it } from "vitest";
import { call } from "../support/http";
import { newTenant } from "../support/tenant";

interface Step {
  name: string;
  request: { method: string; path: string; body?: unknown };
  expect: { status: number; body?: unknown };
  save?: Record<string, string>;
}
interface Fixture {
  name: string;
  source: string;
  steps: Step[];
}

const fixtures = import.meta.glob<Fixture>("./fixtures/*.json", { eager: true, import: "default" });

function substitute(value: unknown, vars: Map<string, string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\{\{(\$?\w+)\}\}/g, (_, name: string) => {
      if (!vars.has(name)) vars.set(name, name === "$short" ? crypto.randomUUID().slice(0, 2) : crypto.randomUUID());
      return vars.get(name)!;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  }
  return value;
}

function expectPartial(actual: unknown, expected: unknown, where: string) {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where} should be an array`).toBe(true);
    expect((actual as unknown[]).length, `${where} length`).toBe(expected.length);
    expected.forEach((e, i) => expectPartial((actual as unknown[])[i], e, `${where}[${i}]`));
  } else if (expected && typeof expected === "object") {
    expect(actual && typeof actual === "object", `${where} should be an object`).toBeTruthy();
    for (const [k, v] of Object.entries(expected)) {
      const a = (actual as Record<string, unknown>)[k];
      if (v === "$absent") expect(a, `${where}.${k} should be absent`).toBeUndefined();
      else expectPartial(a, v, `${where}.${k}`);
    }
  } else {
    expect(actual, where).toEqual(expected);
  }
}

const readPath = (body: unknown, path: string) =>
  path.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], body);

describe("Entra replay", () => {
  for (const [file, fixture] of Object.entries(fixtures)) {
    it(`${fixture.name} (${file})`, async () => {
      const t = await newTenant();
      const vars = new Map<string, string>();
      for (const step of fixture.steps) {
        const req = substitute(step.request, vars) as Step["request"];
        const url = `/scim/v2${req.path.replace(/ /g, "+")}`;
        const res = await call(url, { method: req.method, token: t.token, ...(req.body !== undefined ? { body: req.body } : {}) });
        const text = await res.text();
        expect(res.status, `${step.name}: ${text}`).toBe(step.expect.status);
        const body = text ? (JSON.parse(text) as unknown) : undefined;
        if (step.expect.body !== undefined) expectPartial(body, substitute(step.expect.body, vars), step.name);
        for (const [name, path] of Object.entries(step.save ?? {})) vars.set(name, String(readPath(body, path)));
      }
    });
  }
});
