// A user's userName or a group's displayName with its SCIM id beside it: how the console and the
// portal name the resources in lists of hub operations and requests (the id alone says nothing).
import { h } from "./dom";

export const nameAndId = (name: string | null | undefined, id: string | null | undefined): HTMLElement =>
  h("span", { class: "name-and-id" }, name ? h("strong", {}, name) : "", name && id ? " " : "", id ? h("code", { class: "muted" }, id) : "");
