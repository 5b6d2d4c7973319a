// The 10,000-user (or any size) seed shared by the bench (bench/scim.mjs) and the cost-budget test
// (test/storage/cost-budgets.test.ts): users written by SQL in 1,000-row json_each statements, so
// the triggers run as for any insert and both measure the same tenant shape.

export const seededUserId = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** The document of seeded user i: 50 mail domains, 997 family names. */
export function seededUserDoc(i, domain) {
  const userName = `user${i}@${domain}`;
  return {
    userName,
    externalId: `ext-${i}`,
    active: true,
    displayName: `User ${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i % 997}` },
    emails: [{ value: `user${i}@mail${i % 50}.example.com`, type: "work", primary: true }],
  };
}

/** Insert users 0..count-1 of the tenant through a D1 database (binding or miniflare's). */
export async function seedUsers(d1, tenantId, count, { domain, now = new Date().toISOString() }) {
  for (let start = 0; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const doc = seededUserDoc(i, domain);
      rows.push({ id: seededUserId(i), un: doc.userName, doc: JSON.stringify(doc) });
    }
    await d1
      .prepare(
        `INSERT INTO users (tenant_id, id, user_name, user_name_lc, external_id, display_name_lc, active, version, created_at, updated_at, doc)
         SELECT ?1, json_extract(j.value,'$.id'), json_extract(j.value,'$.un'), lower(json_extract(j.value,'$.un')),
                json_extract(json_extract(j.value,'$.doc'),'$.externalId'), lower(json_extract(json_extract(j.value,'$.doc'),'$.displayName')),
                1, 1, ?2, ?2, json_extract(j.value,'$.doc')
         FROM json_each(?3) j`,
      )
      .bind(tenantId, now, JSON.stringify(rows))
      .run();
  }
}
