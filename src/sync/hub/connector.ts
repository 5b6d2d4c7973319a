// Builds a tenant's Device Hub client from its stored settings: decrypts the API key, picks the
// transport (the DEVICE_HUB service binding for host "device-hub", else the public fetch) and
// wraps it in the invocation's call counter (≤ 6 in flight).
import type { Bindings } from "../../config";
import type { HubSettingsRow } from "../storage/sync-state";
import { countingFetch, type CallCounter } from "./budget";
import { createDeviceHubClient, type DeviceHubClient } from "./client";
import { decryptApiKey } from "./key-crypto";

/** Base URLs with this host go through env.DEVICE_HUB when the binding exists (tests, dev). */
export const SERVICE_BINDING_HOST = "device-hub";

export function hubTransport(env: Pick<Bindings, "DEVICE_HUB">, baseUrl: string): typeof fetch {
  const binding = env.DEVICE_HUB;
  if (binding && new URL(baseUrl).hostname === SERVICE_BINDING_HOST) return (input, init) => binding.fetch(input, init);
  return (input, init) => fetch(input, init);
}

/** `deadline` (ms since epoch): no hub call of this run may outlive it, whatever its own timeout. */
export async function connectHub(env: Bindings, settings: HubSettingsRow, counter: CallCounter, deadline?: number): Promise<DeviceHubClient> {
  const apiKey = await decryptApiKey(env.HUB_KEY_ENCRYPTION_KEY, settings.tenantId, settings.apiKeyCipher);
  return createDeviceHubClient({
    baseUrl: settings.baseUrl,
    apiKey,
    fetch: countingFetch(hubTransport(env, settings.baseUrl), counter),
    timeoutMs: settings.timeoutMs,
    deadline,
  });
}
