// Reads an admin resource that exists only once the Device Hub is configured: null on 404, so
// the hub option and policy cards can ask for the hub settings first instead of failing.
import { api, ApiError } from "../api";

export async function readIfConfigured<T>(path: string): Promise<T | null> {
  try {
    return await api<T>("GET", path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export const NEEDS_HUB = "Save the Device Hub settings first: these options belong to them.";
