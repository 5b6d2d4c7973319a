// A tenant's token-lifetime policy (docs/auth.md): "standard" issues client-credential tokens
// for any lifetime the endpoint allows; "gallery" only for 60–360 minutes, the window Entra's app
// gallery requires (its Validate_Credentials_Test). Read once per token request: no cache needed.
import { eq } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { tenantTokenPolicy, TOKEN_POLICY_MODES, type TokenPolicyMode } from "../../platform/schema/gallery-auth-tables";

export { TOKEN_POLICY_MODES, type TokenPolicyMode };
export const DEFAULT_TOKEN_POLICY: TokenPolicyMode = "standard";

/** Entra's gallery window for access tokens: 60 minutes to 6 hours. */
export const GALLERY_MIN_LIFETIME_S = 3600;
export const GALLERY_MAX_LIFETIME_S = 21_600;

export async function tokenPolicy(db: Db, tenantId: string): Promise<TokenPolicyMode> {
  const row = (await db.select().from(tenantTokenPolicy).where(eq(tenantTokenPolicy.tenantId, tenantId)).limit(1))[0];
  return row?.mode ?? DEFAULT_TOKEN_POLICY;
}

export const setTokenPolicy = (db: Db, tenantId: string, mode: TokenPolicyMode, at: string) =>
  db
    .insert(tenantTokenPolicy)
    .values({ tenantId, mode, updatedAt: at })
    .onConflictDoUpdate({ target: tenantTokenPolicy.tenantId, set: { mode, updatedAt: at } });

/** Whether a lifetime (seconds) is inside the gallery window. */
export const inGalleryWindow = (seconds: number) => seconds >= GALLERY_MIN_LIFETIME_S && seconds <= GALLERY_MAX_LIFETIME_S;
