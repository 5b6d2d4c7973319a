// The Device Hub settings card: base URL, API key (stored encrypted, never shown: PUT needs it
// every time), timeout, log retention, the default preferred language and the naming-rule option.
import { api, ApiError } from "../api";
import { flash, h } from "../dom";
import { card } from "../widgets";

interface HubSettings {
  baseUrl: string;
  apiKeyHint: string;
  timeoutMs: number;
  logRetentionDays: number;
  defaultPreferredLanguage?: string;
  enforceNamingRules?: boolean;
}

const field = (id: string, name: string, label: string, attrs: Record<string, string | number | boolean>) =>
  [h("label", { for: id }, label), h("input", { id, name, ...attrs })];

/** `onSaved` redraws what depends on the settings (the hub options and policies). */
export async function hubCard(tenantId: string, onSaved?: () => Promise<unknown>): Promise<HTMLElement> {
  const path = `/tenants/${tenantId}/device-hub`;
  let current: HubSettings | null = null;
  try {
    current = await api<HubSettings>("GET", path);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  const msg = h("div");
  const form = h("form", {},
    field("hub-url", "baseUrl", "Base URL", { required: true, type: "url", value: current?.baseUrl ?? "", placeholder: "https://hub.example.com" }),
    field("hub-key", "apiKey", current ? `API key (saved key ends ${current.apiKeyHint}; enter it again to save)` : "API key",
      { type: "password", required: true, autocomplete: "off" }),
    h("div", { class: "row" },
      h("div", {}, field("hub-timeout", "timeoutMs", "Timeout (ms)", { type: "number", min: 100, max: 30000, value: current?.timeoutMs ?? 10000 })),
      h("div", {}, field("hub-retention", "logRetentionDays", "Keep log (days)", { type: "number", min: 1, max: 365, value: current?.logRetentionDays ?? 14 }))),
    field("hub-language", "defaultPreferredLanguage", "Default preferred language (when SCIM has none)",
      { required: true, value: current?.defaultPreferredLanguage ?? "en-GB", placeholder: "en-GB" }),
    h("p", {}, h("label", { class: "inline" },
      h("input", { type: "checkbox", name: "enforceNamingRules", checked: current?.enforceNamingRules === true }),
      " Refuse names the Device Hub would refuse already at SCIM time (400 invalidValue)")),
    h("p", {}, h("button", { type: "submit" }, "Save")), msg);
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      current = await api<HubSettings>("PUT", path, {
        baseUrl: value("baseUrl").trim(), apiKey: value("apiKey"), timeoutMs: Number(value("timeoutMs")), logRetentionDays: Number(value("logRetentionDays")),
        defaultPreferredLanguage: value("defaultPreferredLanguage").trim(),
        enforceNamingRules: (form.elements.namedItem("enforceNamingRules") as HTMLInputElement).checked,
      });
      (form.elements.namedItem("apiKey") as HTMLInputElement).value = "";
      flash(msg, `Saved (API key …${current.apiKeyHint.replace("…", "")}).`, "ok");
      await onSaved?.();
    } catch (err) {
      flash(msg, (err as Error).message);
    }
  });
  return card("hub", "Device Hub settings", form);
}
