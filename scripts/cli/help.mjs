// The CLI's help text: every command, one line each.
export const HELP = `edge-scim — administer an edge SCIM deployment

Usage: edge-scim <command> [args] [--url URL] [--admin-token TOKEN] [--json]

Tenants
  tenants list                          list tenants (state: active, deleting, deleted)
  tenants create <name> [--shard DB_1]  create a tenant (on the shard with the most room, or the one named)
  tenants show <tenantId>               details, SCIM connection settings, purge progress
  tenants rename <tenantId> <name>
  tenants delete <tenantId>             offboard: tokens stop at once, data purged by the cron
  tenants export <tenantId> [--out FILE]   users, groups, memberships as NDJSON
  tenants move <tenantId> <shard>       move the tenant to another shard (DB, DB_1, …), in bounded slices in the background
  tenants move-status <tenantId>        the move's state and progress
  tenants move-cancel <tenantId>        cancel a move that has not switched yet
  shards                                the D1 shards: size, tenants, where the next tenant goes
Clients (OAuth client credentials for a tenant's identity provider)
  clients list <tenantId>
  clients create <tenantId> <name>      prints client_id and client_secret (shown once)
  clients revoke <tenantId> <clientId>  the client and all its tokens stop working at once
  clients rotate <tenantId> <clientId>  new secret; existing tokens stay valid
Tokens
  tokens issue <tenantId> <clientId> [--expires-in SECONDS]   default 3600, up to 315360000 (10 years)
  tokens list <tenantId> <clientId>
  tokens revoke <tenantId> <jti>
  tokens expiring [--within-days N]     every tenant's live SCIM and API tokens expiring within N days (default 30)
  entra-tokens show|remove <tenantId>   accept the tokens Entra issues itself (Secret Token left blank)
  entra-tokens set <tenantId> <entraTenantId> [--audience A] [--app-id GUID] [--assertion-audience A]
                                        --app-id: the Entra application's Application ID: tokens issued to
                                        any other application are refused, and its tokens can be
                                        exchanged at /oauth/token (federation)
  token-policy show <tenantId>
  token-policy set <tenantId> standard|gallery   gallery: OAuth tokens only for 60-360 minutes
Self-service portal (docs/portal.md)
  setup-link create <tenantId> [--days 1-30] [--note TEXT]
                                        single-use link to /portal/ for the customer's IT admin
                                        (default 7 days; the URL is shown once)
  setup-link list <tenantId>            links with status: active, used, expired, revoked
  setup-link revoke <tenantId> <linkId> also ends the portal sessions opened with it
                                        (and the API tokens they created, unless kept)
  api-token list <tenantId>             the tenant admin's API tokens: creator, expiry, last use
  api-token show <tenantId> <apiTokenId>
                                        one API token and the SCIM clients and tokens it created
  api-token revoke <tenantId> <apiTokenId>
                                        also revokes what it created (unless kept)
  portal-session list <tenantId>        portal sessions with status: active, expired, revoked
  portal-session revoke <tenantId> <sessionId>
                                        ends it, with the API tokens it created (unless kept)
Device Hub and provisioning
  hub show|remove <tenantId>
  hub set <tenantId> --base-url URL --api-key KEY [--timeout-ms N] [--log-retention-days N]
                                        (also takes the hub options flags below; left out, they are kept)
  hub options <tenantId> [--language xx-YY] [--enforce-naming-rules true|false]
          [--sync-on-change true|false] [--field-map floor=<urn>:<attr>,...|default]
          [--deleted-user-grace-days N] [--timeout-ms N] [--log-retention-days N]
                                        change options without the API key; --field-map replaces the
                                        whole map (fields left out are not mapped), default restores it;
                                        --deleted-user-grace-days 0-365: how long a deleted user's hub
                                        account is kept, deactivated (0: deleted at once)
  provisioning status|start|stop|run|full-sweep <tenantId>
  provisioning logs <tenantId> [--cursor C] [--limit N]     one entry per hub operation
  provisioning parked <tenantId> [--cursor C] [--limit N]   operations that kept failing
  provisioning retry <tenantId> [itemId]   retry one parked item, or all
  provisioning history <tenantId> [--hours N]   hub operations per cycle (ok, failed, parked), 1-168 h
  provisioning policy <tenantId> [--hub-conflict reject|adopt] [--delete-percent N] [--delete-minimum N]
                                        show the policy, or change the fields given
  provisioning hub-names <tenantId>     SCIM creates refused or parked: a hub account holds the userName
  provisioning adopt <tenantId> (<userName>... | --all)   adopt those hub accounts (ones without an externalRef)
  provisioning confirm-deletions <tenantId> [--expires-in-minutes N]
                                        let exactly the deletions the guard holds now go out (default: for 60 min)
  provisioning drift <tenantId> [--start]   the last drift report (where SCIM and the hub differ, why,
                                        and the repair); --start runs a new one first
Extension schemas (docs/scim.md "Extension schemas")
  extensions list <tenantId>            built-in and declared extension schemas
  extensions show|delete <tenantId> <urn>
  extensions put <tenantId> <urn> --file decl.json|-   declare or redeclare one (- reads stdin)
Limits, audit, health
  rate-limit show <tenantId>
  rate-limit set <tenantId> restricted|standard|high|unlimited
  audit tail <tenantId> [--since ISO] [--until ISO] [--count N] [--follow [--interval S]]
                                        newest first; --follow prints new entries as they come
  compat <tenantId>                     Entra compatibility rewrites seen for a tenant
  health                                GET /health (no admin token)
Keys
  keys init [--alg EdDSA|ES256]         first deployment: {"ADMIN_TOKEN","SIGNING_KEY","HUB_KEY_ENCRYPTION_KEY"}
                                        for \`npx wrangler secret bulk\`; the admin token is also shown on stderr
  keys rotate [--alg EdDSA|ES256] [--drop KID]...
                                        prints {"SIGNING_KEY","VERIFICATION_KEYS"} for
                                        \`npx wrangler secret bulk\` (stdin); nothing on disk

Options
  --url URL            service URL (default: $EDGE_SCIM_URL or http://localhost:8787)
  --admin-token TOKEN  admin token (default: $EDGE_SCIM_ADMIN_TOKEN; for a localhost URL also
                       ADMIN_TOKEN in ./.dev.vars, which is never sent anywhere else)
  --json               print the raw JSON response
  -h, --help           this help

Exit codes: 0 success, 1 the server answered an error, 2 usage error, 3 could not connect.`;
