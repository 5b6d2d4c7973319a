// The admin console's HTML shell and styles. All data comes from the admin API through
// script.ts; the page itself holds no secrets and renders the same for everyone.

export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edge SCIM — admin console</title>
<link rel="stylesheet" href="/admin/console.css">
<script type="module" src="/admin/console.js"></script>
</head>
<body>
<header class="top">
  <a class="brand" href="#/tenants">Edge SCIM</a>
  <nav aria-label="Main"><a href="#/tenants">Tenants</a></nav>
  <button id="signout" type="button" hidden>Sign out</button>
</header>
<main id="main" tabindex="-1">
  <section id="signin" class="card" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in</h1>
    <p>Paste the deployment's admin token. It stays in this browser tab's session storage and is sent only as a bearer header.</p>
    <form id="signin-form">
      <label for="admin-token">Admin token</label>
      <input id="admin-token" name="token" type="password" autocomplete="off" required>
      <button type="submit">Sign in</button>
      <p id="signin-error" class="error" role="alert"></p>
    </form>
  </section>
  <div id="view" aria-live="polite"></div>
</main>
</body>
</html>`;

export const CONSOLE_CSS = `
:root { --fg:#1b1f24; --muted:#57606a; --bg:#f6f8fa; --card:#fff; --line:#d0d7de; --accent:#0b57d0; --bad:#b42318; --ok:#1a7f37; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
.top { display:flex; gap:1.5rem; align-items:center; padding:.75rem 1.5rem; background:#0d1117; color:#fff; }
.top a { color:#fff; text-decoration:none; } .brand { font-weight:700; }
.top button { margin-left:auto; }
main { max-width:1100px; margin:0 auto; padding:1.5rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem 1.25rem; margin-bottom:1rem; overflow-wrap:anywhere; }
h1 { font-size:1.4rem; } h2 { font-size:1.1rem; margin-top:0; }
label { display:block; font-weight:600; margin:.5rem 0 .25rem; }
input, select { font:inherit; padding:.4rem .5rem; border:1px solid var(--line); border-radius:6px; max-width:100%; }
button { font:inherit; padding:.4rem .9rem; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
button.danger { background:var(--bad); border-color:var(--bad); }
button:focus-visible, a:focus-visible, input:focus-visible { outline:3px solid #f59e0b; outline-offset:2px; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:.35rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; overflow-wrap:break-word; }
td code { overflow-wrap:anywhere; }
code, .mono { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:.9em; }
.copy { display:flex; gap:.5rem; align-items:center; } .copy code { flex:1; background:var(--bg); padding:.3rem .5rem; border-radius:4px; }
.error { color:var(--bad); } .ok { color:var(--ok); } .muted { color:var(--muted); }
.row { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; }
.grid { display:grid; grid-template-columns:repeat(auto-fit, minmax(280px, 1fr)); gap:1rem; }
progress { width:100%; height:1rem; }
.scroll { overflow-x:auto; max-width:100%; }
label.inline { display:inline; margin:0; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.2rem 1rem; margin:.5rem 0; } dl.facts dt { font-weight:600; } dl.facts dd { margin:0; }
.grid > .card { min-width:0; }
form input[type=url], form input[type=password] { width:100%; }
td .row { flex-wrap:nowrap; }
tr.failed td { background:#fdecea; }
.secret { background:#fff8c5; border:1px solid #d4a72c; padding:.5rem; border-radius:6px; }
`;
