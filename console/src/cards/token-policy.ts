// Token lifetimes (GET/PUT …/token-policy, docs/auth.md): standard, or Entra's gallery mode where
// the token endpoint issues client-credential tokens only for 60–360 minutes. Shows which mode the
// tenant is in and lets the operator switch.
import { api } from "../api";
import { flash, h } from "../dom";
import { card } from "../widgets";

export interface TokenPolicy {
  mode: "standard" | "gallery";
  modes: ("standard" | "gallery")[];
  defaultLifetimeSeconds: number;
  clientCredentialsLifetime: { minSeconds: number; maxSeconds: number } | null;
}

/** One sentence for the mode, shared with the portal's wording. */
export const describeTokenPolicy = (p: TokenPolicy): string =>
  p.mode === "gallery"
    ? `Gallery mode: OAuth client-credential tokens last ${p.clientCredentialsLifetime!.minSeconds / 60}–${p.clientCredentialsLifetime!.maxSeconds / 60} minutes (Entra's app gallery rule); other lifetimes are refused.`
    : `Standard: OAuth client-credential tokens last ${p.defaultLifetimeSeconds / 60} minutes unless the client asks for another lifetime.`;

const HELP: Record<TokenPolicy["mode"], string> = {
  standard: "Any lifetime the token endpoint allows (default 60 minutes).",
  gallery: "Only 60–360 minutes, as Microsoft's gallery validation checks. Secret Tokens issued here are not affected.",
};

export async function tokenPolicyCard(tenantId: string): Promise<HTMLElement> {
  const path = `/tenants/${tenantId}/token-policy`;
  let policy = await api<TokenPolicy>("GET", path);
  const msg = h("div");
  const current = h("p", { "data-testid": "token-policy-mode", "data-mode": policy.mode }, describeTokenPolicy(policy));
  const form = h("form", { "data-testid": "token-policy" },
    h("fieldset", {}, h("legend", {}, "Token lifetimes"),
      policy.modes.map((mode) => [
        h("label", { class: "inline" }, h("input", { type: "radio", name: "tokenMode", value: mode, id: `token-mode-${mode}`, checked: mode === policy.mode }), ` ${mode === "gallery" ? "Gallery" : "Standard"}`),
        h("p", { class: "muted" }, HELP[mode])])),
    h("p", {}, h("button", { type: "submit" }, "Save token mode")), msg);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const mode = (form.querySelector("input[name=tokenMode]:checked") as HTMLInputElement | null)?.value;
    try {
      policy = await api<TokenPolicy>("PUT", path, { mode });
      current.replaceChildren(describeTokenPolicy(policy));
      current.setAttribute("data-mode", policy.mode);
      flash(msg, "Token mode saved.", "ok");
    } catch (err) {
      flash(msg, (err as Error).message);
    }
  });
  return card("token-policy-card", "Token lifetimes", current, form);
}
