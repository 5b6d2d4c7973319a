// The tenant's SCIM extension schemas (…/extensions): the built-in ones and the declared ones,
// a form to declare (or redeclare) one, and delete for declared ones (docs/scim.md "Extension schemas").
import { api } from "../api";
import { buttonOf, flash, h } from "../dom";
import { card, table } from "../widgets";

interface Attribute { name: string; type: string; multiValued?: boolean }
interface Extension { urn: string; resourceType: string; builtIn: boolean; attributes: Attribute[] }

const EXAMPLE_URN = "urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User";
const EXAMPLE_ATTRIBUTES = `[
  {"name": "costCode", "type": "string"},
  {"name": "level", "type": "integer"},
  {"name": "skills", "type": "string", "multiValued": true}
]`;

const attributeText = (a: Attribute) => `${a.name} (${a.type}${a.multiValued ? ", multi-valued" : ""})`;

function parseAttributes(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`Attributes must be a JSON array: ${(err as Error).message}`);
  }
}

export async function extensionsCard(tenantId: string): Promise<HTMLElement> {
  const base = `/tenants/${tenantId}/extensions`;
  const msg = h("div");
  const list = h("div");
  const remove = async (event: Event, urn: string) => {
    if (!confirm(`Delete the extension ${urn}? Its attributes are no longer accepted or returned.`)) return;
    buttonOf(event).disabled = true;
    try {
      await api("DELETE", `${base}/${encodeURIComponent(urn)}`);
      flash(msg, `Deleted ${urn}.`, "ok");
      await draw();
    } catch (err) {
      flash(msg, (err as Error).message);
    }
  };
  const draw = async () => {
    const { extensions } = await api<{ extensions: Extension[] }>("GET", base);
    list.replaceChildren(table<Extension>([
      ["URN", (e) => h("code", {}, e.urn)],
      ["Resource", (e) => e.resourceType],
      ["Attributes", (e) => e.attributes.map(attributeText).join(", ")],
      ["Kind", (e) => (e.builtIn ? "built-in" : "declared")],
      ["", (e) => (e.builtIn ? "" : h("button", { type: "button", class: "danger", "aria-label": `Delete ${e.urn}`, onclick: (ev) => remove(ev, e.urn) }, "Delete"))],
    ], extensions, "extensions"));
  };
  const form = h("form", { "data-testid": "extension-form" },
    h("h3", {}, "Declare an extension"),
    h("label", { for: "ext-urn" }, "URN"), h("input", { id: "ext-urn", name: "urn", class: "wide", required: true, placeholder: EXAMPLE_URN }),
    h("label", { for: "ext-resource" }, "Resource type"),
    h("select", { id: "ext-resource", name: "resourceType" }, h("option", { value: "User" }, "User"), h("option", { value: "Group" }, "Group")),
    h("label", { for: "ext-attributes" }, "Attributes (JSON: name, type, optional multiValued, caseExact, returned, uniqueness, description)"),
    h("textarea", { id: "ext-attributes", name: "attributes", class: "wide", rows: 5, required: true, placeholder: EXAMPLE_ATTRIBUTES }),
    h("p", {}, h("button", { type: "submit" }, "Declare")));
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const urn = value("urn").trim();
      await api("PUT", `${base}/${encodeURIComponent(urn)}`, { resourceType: value("resourceType"), attributes: parseAttributes(value("attributes")) });
      flash(msg, `Declared ${urn}.`, "ok");
      form.reset();
      await draw();
    } catch (err) {
      flash(msg, (err as Error).message);
    }
  });
  await draw();
  return card("extensions", "Extension schemas", list, form, msg);
}
