// CLI: a tenant's SCIM extension schemas (docs/scim.md "Extension schemas"): list, show, declare
// from a JSON file or stdin, delete. The built-in ones are listed too and cannot be deleted.
import { readFileSync } from "node:fs";
import { api, EXIT, fail } from "./http.mjs";

const enc = encodeURIComponent;

function readDeclaration(file) {
  if (!file) fail(EXIT.usage, "extensions put needs --file decl.json (or --file - for stdin)");
  let text;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    fail(EXIT.usage, `cannot read ${file}: ${err.code ?? err.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(EXIT.usage, `${file === "-" ? "stdin" : file} is not JSON: ${err.message}`);
  }
}

const showOne = (e) => {
  console.log(`${e.urn} (${e.resourceType}${e.builtIn ? ", built in" : ""})${e.description ? ` — ${e.description}` : ""}`);
  console.table(e.attributes.map((a) => ({ name: a.name, type: a.type, multiValued: a.multiValued, returned: a.returned, uniqueness: a.uniqueness })));
};

export const extensionCommands = {
  "extensions list": async ({ conn, out, need }) => {
    const [id] = need(1, "extensions list <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/extensions`), (d) =>
      console.table(d.extensions.map((e) => ({ urn: e.urn, resourceType: e.resourceType, builtIn: e.builtIn, attributes: e.attributes.length }))),
    );
  },
  "extensions show": async ({ conn, out, need }) => {
    const [id, urn] = need(2, "extensions show <tenantId> <urn>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/extensions/${enc(urn)}`), showOne);
  },
  "extensions put": async ({ conn, out, need, values }) => {
    const [id, urn] = need(2, "extensions put <tenantId> <urn> --file decl.json|-");
    const body = readDeclaration(values.file);
    out(await api(conn, "PUT", `/tenants/${enc(id)}/extensions/${enc(urn)}`, body), (e) =>
      console.log(`declared ${e.urn} for ${e.resourceType} with ${e.attributes.length} attribute(s)`),
    );
  },
  "extensions delete": async ({ conn, out, need }) => {
    const [id, urn] = need(2, "extensions delete <tenantId> <urn>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/extensions/${enc(urn)}`), () =>
      console.log(`removed ${urn}: its stored values are hidden, not deleted (declaring it again brings them back)`),
    );
  },
};
