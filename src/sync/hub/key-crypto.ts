// Hub API keys at rest: AES-256-GCM under the deployment secret HUB_KEY_ENCRYPTION_KEY (base64 of
// 32 random bytes), with the tenant id as additional data so a ciphertext cannot move tenants.
// Format: "v1.<base64 iv>.<base64 ciphertext+tag>". Never log the plaintext.

const VERSION = "v1";
const keyCache = new Map<string, Promise<CryptoKey>>();

export class KeyCryptoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeyCryptoError";
  }
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Import (once per isolate and secret) the AES key; a malformed secret is a configuration error. */
function importKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret) throw new KeyCryptoError("HUB_KEY_ENCRYPTION_KEY is not configured");
  let cached = keyCache.get(secret);
  if (!cached) {
    let raw: Uint8Array;
    try {
      raw = fromBase64(secret.trim());
    } catch (cause) {
      throw new KeyCryptoError("HUB_KEY_ENCRYPTION_KEY is not base64", { cause });
    }
    if (raw.byteLength !== 32) throw new KeyCryptoError("HUB_KEY_ENCRYPTION_KEY must be 32 bytes (base64)");
    cached = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keyCache.set(secret, cached);
  }
  return cached;
}

export async function encryptApiKey(secret: string | undefined, tenantId: string, apiKey: string): Promise<string> {
  const key = await importKey(secret);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new TextEncoder().encode(apiKey);
  const cipher = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(tenantId) }, key, data);
  return `${VERSION}.${toBase64(iv)}.${toBase64(new Uint8Array(cipher))}`;
}

export async function decryptApiKey(secret: string | undefined, tenantId: string, stored: string): Promise<string> {
  const key = await importKey(secret);
  const [version, iv, cipher] = stored.split(".");
  if (version !== VERSION || !iv || !cipher) throw new KeyCryptoError("stored hub API key has an unknown format");
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(iv), additionalData: new TextEncoder().encode(tenantId) },
      key,
      fromBase64(cipher),
    );
    return new TextDecoder().decode(plain);
  } catch (cause) {
    // Wrong secret (rotated without re-encrypting) or a tampered row: the admin must PUT the key again.
    throw new KeyCryptoError("stored hub API key cannot be decrypted with HUB_KEY_ENCRYPTION_KEY", { cause });
  }
}
