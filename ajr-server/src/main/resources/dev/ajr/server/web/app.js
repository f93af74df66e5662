// ajr web UI: one page, views chosen by the path under /ui/. Everything shown comes from the
// authenticated API under /api/v1; job output is untrusted, so text is only ever set with
// textContent (never innerHTML). Live updates come from /api/v1/stream (Server-Sent Events).

const view = document.getElementById("view");
const tooltip = document.getElementById("tooltip");
const live = document.getElementById("live");
let me = null; // {username, role, csrfToken}
let refresh = null; // the current view's reload function, called on live changes
let stream = null;

// ---------- small helpers ----------

/** Builds an element: h("a", {href: "/x"}, "text", child...). Strings become text nodes. */
function h(tag, attrs, ...children) {
  const el = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function fmtTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function fmtMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function badge(state, extra) {
  return h("span", { class: `badge s-${state} ${extra || ""}` }, state);
}

function seesAll() {
  return me && (me.role === "operator" || me.role === "admin");
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API; non-GET calls carry the session's CSRF token. A 401 shows the login form. */
async function api(path, options = {}) {
  const init = { method: options.method || "GET", credentials: "same-origin", headers: {} };
  if (init.method !== "GET") init.headers["X-CSRF-Token"] = me ? me.csrfToken : "";
  if (options.body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (!res.ok) {
    const err = body && body.error ? body.error : { code: "http_" + res.status, message: res.statusText };
    if (res.status === 401 && !path.startsWith("/auth/")) {
      me = null;
      showLogin();
    }
    throw new ApiError(res.status, err.code, err.message);
  }
  return body;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? "?" + s : "";
}

function errorBox(e) {
  return h("p", { class: "error", role: "alert" }, e instanceof ApiError ? `${e.message} (${e.code})` : String(e));
}

// ---------- navigation ----------

const PAGES = [
  { path: "/ui/workflows", title: "Workflows", show: () => true },
  { path: "/ui/nodes", title: "Nodes", show: seesAll },
  { path: "/ui/kpis", title: "KPIs", show: () => true },
  { path: "/ui/rules", title: "Rules", show: () => true },
  { path: "/ui/audit", title: "Audit", show: seesAll },
  { path: "/ui/admin", title: "Admin", show: () => me && me.role === "admin" },
];

function go(path) {
  history.pushState(null, "", path);
  render();
}

document.addEventListener("click", (ev) => {
  const a = ev.target.closest("a");
  if (!a || a.target || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
  const href = a.getAttribute("href");
  if (href && href.startsWith("/ui/")) {
    ev.preventDefault();
    go(href);
  }
});
window.addEventListener("popstate", render);

function renderNav() {
  const nav = document.getElementById("nav");
  nav.replaceChildren(
    ...PAGES.filter((p) => p.show()).map((p) =>
      h("a", { href: p.path, "aria-current": location.pathname.startsWith(p.path) ? "page" : null }, p.title)
    )
  );
  document.getElementById("me-name").textContent = me.username;
  document.getElementById("me-role").textContent = me.role;
  document.querySelector("header.top").hidden = false;
}

async function render() {
  hideTooltip();
  refresh = null;
  if (!me) return showLogin();
  renderNav();
  const p = location.pathname;
  let m;
  try {
    if (p === "/ui" || p === "/ui/" || p === "/ui/workflows") await workflowsView();
    else if ((m = p.match(/^\/ui\/jobs\/(\d+)$/))) await jobView(m[1]);
    else if (p === "/ui/nodes") await nodesView();
    else if ((m = p.match(/^\/ui\/nodes\/([A-Za-z0-9._-]+)$/))) await nodeView(m[1]);
    else if (p === "/ui/kpis") await kpisView();
    else if (p === "/ui/rules") await rulesView();
    else if (p === "/ui/audit") await auditView();
    else if (p === "/ui/admin") await adminView();
    else if (p === "/ui/account") await accountView();
    else view.replaceChildren(h("h1", {}, "Not found"), h("p", {}, "No page at " + p + ". "), h("a", { href: "/ui/workflows" }, "Workflows"));
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) view.replaceChildren(errorBox(e));
  }
}

// ---------- login ----------

function showLogin() {
  closeStream();
  document.querySelector("header.top").hidden = true;
  const msg = h("p", { class: "error", role: "alert" });
  const user = h("input", { name: "username", autocomplete: "username", required: true, "aria-label": "User name", placeholder: "User name" });
  const pass = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true, "aria-label": "Password", placeholder: "Password" });
  const form = h("form", { onsubmit: async (ev) => {
    ev.preventDefault();
    msg.textContent = "";
    try {
      const r = await api("/auth/login", { method: "POST", body: { username: user.value, password: pass.value } });
      const check = await fetch("/api/v1/me", { credentials: "same-origin" });
      if (check.status === 401) {
        msg.textContent = "Your browser did not keep the session cookie. It is only sent over HTTPS " +
          "(or to localhost): open this page with https:// (see TLS in docs/operations.md).";
        return;
      }
      me = r;
      openStream();
      if (!location.pathname.startsWith("/ui/") || location.pathname === "/ui/login") history.replaceState(null, "", "/ui/workflows");
      render();
    } catch (e) {
      msg.textContent = e.message;
      pass.value = "";
    }
  } }, user, pass, h("button", { class: "primary", type: "submit" }, "Log in"), msg);
  view.replaceChildren(h("div", { class: "login card" }, h("h1", {}, "ajr — log in"), form,
    h("p", { class: "muted" }, "Use your cluster (LDAP) account or a local ajr user.")));
  user.focus();
}

document.getElementById("logout").addEventListener("click", async () => {
  try {
    await api("/auth/logout", { method: "POST" });
  } catch (e) {
    /* the session may be gone already */
  }
  me = null;
  history.replaceState(null, "", "/ui/workflows");
  showLogin();
});

// ---------- live updates ----------

let pending = null;
function openStream() {
  closeStream();
  stream = new EventSource("/api/v1/stream");
  stream.addEventListener("hello", () => (live.textContent = "● live"));
  const changed = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      if (refresh && tooltip.hidden) refresh();
    }, 400);
  };
  stream.addEventListener("change", changed);
  stream.addEventListener("resync", changed);
  stream.onerror = () => (live.textContent = "○ reconnecting…");
}
function closeStream() {
  if (stream) stream.close();
  stream = null;
  live.textContent = "";
}
// a safety net for changes made by another replica, whose events this server does not hear
setInterval(() => {
  if (me && refresh && tooltip.hidden && document.visibilityState === "visible") refresh();
}, 30000);

// ---------- tooltip ----------

function showTooltip(target, content) {
  tooltip.replaceChildren(content);
  tooltip.hidden = false;
  const r = target.getBoundingClientRect();
  const t = tooltip.getBoundingClientRect();
  let left = Math.min(Math.max(8, r.left + r.width / 2 - t.width / 2), window.innerWidth - t.width - 8);
  let top = r.bottom + 8;
  if (top + t.height > window.innerHeight - 8) top = Math.max(8, r.top - t.height - 8);
  tooltip.style.left = left + "px";
  tooltip.style.top = top + "px";
}
function hideTooltip() {
  tooltip.hidden = true;
}

function actionTaken(an) {
  if (!an.decision) return `${an.action} (recommended; no decision yet)`;
  const d = an.decision;
  return `${d.operation} — ${d.state}` + (d.reasons && d.reasons.length ? `: ${d.reasons.join("; ")}` : "");
}

function anomalyDetails(an, attemptIndex) {
  return h("dl", {},
    h("dt", {}, "Type"), h("dd", { "data-testid": "tooltip-type" }, an.type),
    h("dt", {}, "Cause"), h("dd", { "data-testid": "tooltip-cause" }, an.cause + (an.rule ? ` (rule ${an.rule})` : "")),
    h("dt", {}, "Log line"), h("dd", {}, h("code", { "data-testid": "tooltip-line" }, an.line)),
    h("dt", {}, "Time"), h("dd", {}, fmtTime(an.lineWrittenAt || an.detectedAt)),
    h("dt", {}, "Node"), h("dd", {}, an.node || "unknown"),
    h("dt", {}, "Evidence"), h("dd", {}, `${an.evidence || ""}${an.trusted ? " (trusted)" : ""}`),
    h("dt", {}, "Action"), h("dd", { "data-testid": "tooltip-action" }, actionTaken(an)),
    h("dt", {}, "Attempt"), h("dd", {}, String(attemptIndex)));
}

/** A red triangle for an attempt with anomalies; hover or focus shows them. */
function marker(attempt) {
  const tri = h("svg:svg", { viewBox: "0 0 20 18", width: 20, height: 18, "aria-hidden": "true" },
    h("svg:polygon", { points: "10,1 19,17 1,17", fill: "#d32f2f", stroke: "#fff", "stroke-width": "1.5" }),
    h("svg:text", { x: 10, y: 15, "text-anchor": "middle", fill: "#fff", "font-size": "11", "font-weight": "700" }, "!"));
  const first = attempt.anomalies[0];
  const btn = h("button", {
    class: "marker", type: "button", "data-testid": "anomaly-marker",
    "aria-label": `Attempt ${attempt.index}: ${first.type} ${first.cause}`,
  }, tri);
  const content = () => h("div", {}, ...attempt.anomalies.map((an, i) =>
    h("div", { style: null }, i > 0 ? h("hr") : null, anomalyDetails(an, attempt.index))));
  btn.addEventListener("mouseenter", () => showTooltip(btn, content()));
  btn.addEventListener("focus", () => showTooltip(btn, content()));
  btn.addEventListener("mouseleave", hideTooltip);
  btn.addEventListener("blur", hideTooltip);
  return btn;
}

/** The attempts of a job side by side, each as wide as it ran (within limits). */
function timeline(attempts) {
  const now = Date.now();
  const dur = (a) => {
    const s = a.startTime ? Date.parse(a.startTime) : null;
    const e = a.endTime ? Date.parse(a.endTime) : now;
    return s ? Math.max(1, (e - s) / 1000) : 1;
  };
  return h("div", { class: "timeline", "data-testid": "timeline" }, ...(attempts || []).map((a) => {
    const seg = h("div", {
      class: `seg s-${a.state}`, "data-testid": `attempt-${a.index}`, "data-state": a.state,
      title: `attempt ${a.index}: ${a.state}, ${fmtTime(a.startTime)} → ${fmtTime(a.endTime)}${a.nodes && a.nodes.length ? ", " + a.nodes.join(",") : ""}`,
    }, h("span", { class: "label" }, `#${a.index} ${a.state}`));
    seg.style.flex = `${Math.min(10, 1 + Math.log10(dur(a)))} 1 0`;
    if (a.anomalies && a.anomalies.length) seg.append(marker(a));
    return seg;
  }));
}

// ---------- Workflows ----------

const SINCE = { "": "any time", "1h": "last hour", "24h": "last 24 h", "7d": "last 7 days", "30d": "last 30 days" };
function sinceIso(key) {
  const ms = { "1h": 3600e3, "24h": 86400e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3 }[key];
  return ms ? new Date(Date.now() - ms).toISOString() : "";
}

async function workflowsView() {
  const params = new URLSearchParams(location.search);
  const state = {
    user: params.get("user") || "", status: params.get("status") || "", cause: params.get("cause") || "",
    partition: params.get("partition") || "", since: params.get("since") || "", q: params.get("q") || "",
    offset: Number(params.get("offset") || 0), limit: 100,
  };
  let facets = { users: [], partitions: [], causes: [], statuses: [] };
  try {
    facets = await api("/api/v1/jobs/facets");
  } catch (e) {
    if (e.status === 401) throw e;
  }
  const select = (name, label, values) => {
    const s = h("select", { name, "aria-label": label }, h("option", { value: "" }, "all"),
      ...values.map((v) => h("option", { value: v, selected: v === state[name] }, v)));
    s.addEventListener("change", () => apply({ [name]: s.value }));
    return h("label", {}, label, s);
  };
  const search = h("input", { type: "search", name: "q", value: state.q, placeholder: "job id or name", "aria-label": "Search by job id or name", "data-testid": "job-search" });
  const sinceSel = h("select", { name: "since", "aria-label": "Time" }, ...Object.entries(SINCE).map(([k, v]) => h("option", { value: k, selected: k === state.since }, v)));
  sinceSel.addEventListener("change", () => apply({ since: sinceSel.value }));
  const filters = h("form", { class: "filters", role: "search", onsubmit: (ev) => { ev.preventDefault(); apply({ q: search.value.trim() }); } },
    h("label", {}, "Search", search),
    seesAll() ? select("user", "User", facets.users || []) : null,
    select("status", "State", facets.statuses || []),
    select("cause", "Cause", facets.causes || []),
    select("partition", "Partition", facets.partitions || []),
    h("label", {}, "Submitted", sinceSel),
    h("button", { type: "submit", class: "primary" }, "Find"));
  const body = h("div", {});
  view.replaceChildren(h("h1", {}, "Workflows"), filters, body);

  function apply(change) {
    const next = { ...state, ...change, offset: change.offset !== undefined ? change.offset : 0 };
    const qs = query({ user: next.user, status: next.status, cause: next.cause, partition: next.partition, since: next.since, q: next.q, offset: next.offset || "" });
    history.pushState(null, "", "/ui/workflows" + qs);
    render();
  }

  async function load() {
    const page = await api("/api/v1/jobs" + query({
      user: state.user, status: state.status, cause: state.cause, partition: state.partition,
      since: sinceIso(state.since), q: state.q, limit: state.limit, offset: state.offset,
    }));
    const rows = page.items.map((j) => h("tr", { "data-testid": `job-row-${j.jobId}` },
      h("td", {}, h("a", { href: `/ui/jobs/${j.jobId}` }, String(j.jobId))),
      h("td", {}, j.name),
      h("td", {}, j.user),
      h("td", { class: "hide-narrow" }, j.partition),
      h("td", {}, badge(j.status, "job")),
      h("td", { class: "num" }, String(j.attempts)),
      h("td", {}, timeline(j.timeline)),
      h("td", { class: "hide-narrow" }, fmtTime(j.submitTime))));
    const first = page.total === 0 ? 0 : page.offset + 1;
    const last = page.offset + page.items.length;
    const pager = h("div", { class: "pager" },
      h("button", { type: "button", disabled: page.offset === 0, onclick: () => apply({ offset: Math.max(0, page.offset - page.limit) }) }, "‹ Newer"),
      h("span", { "data-testid": "page-range" }, `${first}–${last} of ${page.total}`),
      h("button", { type: "button", disabled: last >= page.total, onclick: () => apply({ offset: page.offset + page.limit }) }, "Older ›"));
    body.replaceChildren(
      page.items.length === 0
        ? h("p", { class: "muted" }, "No job matches. ajr shows jobs that opted in with #SBATCH --comment='{\"APS\": {...}}'.")
        : h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, ...["Job", "Name", "User", "Partition", "State", "Attempts", "Attempts timeline", "Submitted"]
            .map((t, i) => h("th", { class: i === 3 || i === 7 ? "hide-narrow" : null }, t)))),
          h("tbody", {}, ...rows))),
      pager);
  }
  await load();
  refresh = () => load().catch(() => {});
}

// ---------- Job ----------

function directiveText(d) {
  if (!d) return "—";
  if (d.status === "VALID") return `valid: mode ${d.mode}` + (d.maxRequeueTimes !== null && d.maxRequeueTimes !== undefined ? `, at most ${d.maxRequeueTimes} requeues` : "");
  if (d.status === "INVALID") return `invalid: ${d.problem}`;
  return "none (the job did not opt in)";
}

async function jobView(id) {
  async function load() {
    const d = await api(`/api/v1/jobs/${id}`);
    const j = d.job;
    const decisionsByAnomaly = new Map(d.decisions.map((x) => [x.anomalyId, x]));
    const attempts = d.attempts.map((a) => ({
      ...a,
      anomalies: d.anomalies.filter((an) => an.attempt === a.index).map((an) => ({ ...an, decision: decisionsByAnomaly.get(an.id) || null })),
    }));
    view.replaceChildren(
      h("p", {}, h("a", { href: "/ui/workflows" }, "‹ Workflows")),
      h("h1", {}, `Job ${j.jobId} `, h("span", { class: "muted" }, j.name), " ", badge(j.status, "job")),
      h("div", { class: "card" }, h("dl", { class: "facts" },
        h("dt", {}, "User"), h("dd", {}, j.user),
        h("dt", {}, "Partition"), h("dd", {}, j.partition),
        h("dt", {}, "GPUs"), h("dd", {}, String(j.gpus)),
        h("dt", {}, "Status"), h("dd", {}, `${j.status}${j.statusReason ? " — " + j.statusReason : ""}`),
        h("dt", {}, "Directive"), h("dd", { "data-testid": "directive" }, directiveText(j.directive)),
        h("dt", {}, "Comment"), h("dd", {}, h("code", {}, d.comment || "")),
        h("dt", {}, "Submitted"), h("dd", {}, fmtTime(j.submitTime)),
        h("dt", {}, "Work dir"), h("dd", {}, d.workDir || "—"))),
      h("h2", {}, "Attempts"),
      h("div", { class: "card" }, timeline(attempts)),
      h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, ...["#", "State", "Nodes", "Started", "Ended", "Exit", "Why it ended"].map((t) => h("th", {}, t)))),
        h("tbody", {}, ...d.attempts.map((a) => h("tr", {},
          h("td", { class: "num" }, String(a.index)), h("td", {}, badge(a.state)), h("td", {}, (a.nodes || []).join(", ")),
          h("td", {}, fmtTime(a.startTime)), h("td", {}, fmtTime(a.endTime)),
          h("td", { class: "num" }, a.exitCode === null || a.exitCode === undefined ? "—" : String(a.exitCode)),
          h("td", {}, a.endReason || "")))))),
      h("h2", {}, `Anomalies (${d.anomalies.length})`),
      ...(d.anomalies.length === 0 ? [h("p", { class: "muted" }, "None found.")] : d.anomalies.map((an) => h("div", { class: "card", "data-testid": "anomaly" },
        h("div", { class: "row" }, h("strong", {}, `${an.type} · ${an.cause}`), h("span", { class: "muted" }, `attempt ${an.attempt}, rule ${an.rule}, recommends ${an.action}`)),
        h("dl", { class: "facts" },
          h("dt", {}, "Node"), h("dd", {}, an.node || "unknown"),
          h("dt", {}, "Evidence"), h("dd", {}, `${an.evidence}${an.trusted ? " (trusted: may isolate a node)" : " (job output: never drains a node on its own)"}`),
          h("dt", {}, "Source"), h("dd", {}, `${an.source}:${an.lineNumber}`),
          h("dt", {}, "Written / detected"), h("dd", {}, `${fmtTime(an.lineWrittenAt)} / ${fmtTime(an.detectedAt)}`)),
        excerpt(an)))),
      h("h2", {}, `Decisions (${d.decisions.length})`),
      ...d.decisions.map((x) => h("div", { class: "card", "data-testid": "decision" },
        h("div", { class: "row" }, h("strong", {}, `${x.operation}`), badge(x.state), h("span", { class: "muted" }, `attempt ${x.attempt}, ${fmtTime(x.createdAt)}`)),
        h("ul", {}, ...(x.reasons || []).map((r) => h("li", {}, r))),
        x.actions.length === 0 ? null : h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, ...["#", "Action", "Target", "Nodes", "State", "Tries", "Verified outcome", "Started", "Finished"].map((t) => h("th", {}, t)))),
          h("tbody", {}, ...x.actions.map((a) => h("tr", {},
            h("td", { class: "num" }, String(a.seq)), h("td", {}, a.kind), h("td", {}, String(a.targetJobId)),
            h("td", {}, (a.nodes || []).join(", ")), h("td", {}, badge(a.state)), h("td", { class: "num" }, String(a.tries)),
            h("td", {}, a.outcome || ""), h("td", {}, fmtTime(a.startedAt)), h("td", {}, fmtTime(a.finishedAt))))))))));
  }
  await load();
  refresh = () => load().catch(() => {});
}

function excerpt(an) {
  const lines = an.excerpt && an.excerpt.length ? an.excerpt : [{ lineNumber: an.lineNumber, text: an.line, root: true }];
  return h("pre", { class: "excerpt", "data-testid": "excerpt" }, ...lines.map((l) =>
    h("span", { class: l.root ? "root" : null }, `${String(l.lineNumber).padStart(6)}  ${l.text}\n`)));
}

// ---------- Nodes ----------

async function nodesView() {
  async function load() {
    const r = await api("/api/v1/nodes");
    view.replaceChildren(h("h1", {}, "Nodes"),
      h("p", { class: "muted" }, "Health as ajr sees it. ajr drains a node only on trusted evidence (kernel log, monitors) or when several jobs failed on it."),
      r.items.length === 0 ? h("p", { class: "muted" }, "ajr has seen nothing wrong with any node.") :
        h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, ...["Node", "Health", "Reason", "Evidence", "Since", ""].map((t) => h("th", {}, t)))),
          h("tbody", {}, ...r.items.map((n) => h("tr", { "data-testid": `node-${n.name}` },
            h("td", {}, h("a", { href: `/ui/nodes/${encodeURIComponent(n.name)}` }, n.name)), h("td", {}, badge(n.health)),
            h("td", {}, n.reason || ""), h("td", {}, h("code", {}, n.evidence || "")), h("td", {}, fmtTime(n.since)),
            h("td", {}, n.health === "OK" ? null : undrainButton(n.name, load))))))));
  }
  await load();
  refresh = () => load().catch(() => {});
}

function undrainButton(name, after) {
  return h("button", { type: "button", onclick: async (ev) => {
    if (!confirm(`Return ${name} to service?`)) return;
    ev.target.disabled = true;
    const path = `/api/v1/nodes/${encodeURIComponent(name)}/undrain`;
    try {
      try {
        await api(path, { method: "POST" });
      } catch (e) {
        // ajr only observes: it sends nothing unless the operator says so, which is audited
        if (e.code !== "observe_mode" || !confirm(`${e.message}\n\nSend the undrain of ${name} anyway?`)) throw e;
        await api(`${path}?force=true`, { method: "POST" });
      }
      await after();
    } catch (e) {
      alert(e.message);
      ev.target.disabled = false;
    }
  } }, "Undrain");
}

async function nodeView(name) {
  async function load() {
    const r = await api(`/api/v1/nodes/${encodeURIComponent(name)}`);
    const n = r.node;
    view.replaceChildren(h("p", {}, h("a", { href: "/ui/nodes" }, "‹ Nodes")),
      h("h1", {}, `Node ${n.name} `, badge(n.health)),
      h("div", { class: "card" }, h("dl", { class: "facts" },
        h("dt", {}, "Reason"), h("dd", {}, n.reason || "—"),
        h("dt", {}, "Evidence"), h("dd", {}, h("code", {}, n.evidence || "—")),
        h("dt", {}, "Since"), h("dd", {}, fmtTime(n.since))),
        n.health === "OK" ? null : h("p", {}, undrainButton(n.name, load))),
      h("h2", {}, "History"),
      h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, ...["When", "What", "Why", "Job", "By"].map((t) => h("th", {}, t)))),
        h("tbody", {}, ...r.events.map((e) => h("tr", {}, h("td", {}, fmtTime(e.at)), h("td", {}, e.kind), h("td", {}, e.reason || ""),
          h("td", {}, e.jobId ? h("a", { href: `/ui/jobs/${e.jobId}` }, String(e.jobId)) : ""), h("td", {}, e.actor || "")))))));
  }
  await load();
  refresh = () => load().catch(() => {});
}

// ---------- KPIs ----------

/** A horizontal bar chart in SVG: [{label, value}], values shown as text too. */
function barChart(rows, format, cls) {
  const w = 520, rowH = 22, labelW = 150, max = Math.max(1, ...rows.map((r) => r.value));
  const svg = h("svg:svg", { viewBox: `0 0 ${w} ${Math.max(rowH, rows.length * rowH)}`, class: "chart", role: "img" });
  rows.forEach((r, i) => {
    const bw = ((w - labelW - 70) * r.value) / max;
    svg.append(h("svg:text", { x: 0, y: i * rowH + 15 }, r.label),
      h("svg:rect", { x: labelW, y: i * rowH + 4, width: Math.max(1, bw), height: rowH - 8, class: "bar " + (cls || "") }),
      h("svg:text", { x: labelW + bw + 6, y: i * rowH + 15 }, format ? format(r.value) : String(r.value)));
  });
  return svg;
}

/** Columns per day in SVG. */
function dayChart(days) {
  const w = 640, hgt = 160, pad = 24, max = Math.max(1, ...days.map((d) => Math.max(d.recoveries || 0, d.failures || 0)));
  const bw = days.length ? (w - pad) / days.length : 0;
  const svg = h("svg:svg", { viewBox: `0 0 ${w} ${hgt + 20}`, class: "chart", role: "img", "aria-label": "Recoveries and failures per day" });
  days.forEach((d, i) => {
    const fh = ((hgt - pad) * (d.failures || 0)) / max;
    const rh = ((hgt - pad) * (d.recoveries || 0)) / max;
    const x = pad + i * bw;
    svg.append(
      h("svg:rect", { x, y: hgt - fh, width: Math.max(1, bw / 2 - 2), height: fh, class: "bar alt" }, h("svg:title", {}, `${d.day}: ${d.failures} failures`)),
      h("svg:rect", { x: x + bw / 2, y: hgt - rh, width: Math.max(1, bw / 2 - 2), height: rh, class: "bar" }, h("svg:title", {}, `${d.day}: ${d.recoveries} recoveries`)));
    if (days.length <= 14 || i % Math.ceil(days.length / 10) === 0) svg.append(h("svg:text", { x, y: hgt + 14 }, d.day.slice(5)));
  });
  return svg;
}

async function kpisView() {
  const params = new URLSearchParams(location.search);
  const range = params.get("range") || "7d";
  const sel = h("select", { "aria-label": "Window" }, ...["24h", "7d", "30d"].map((k) => h("option", { value: k, selected: k === range }, SINCE[k])));
  sel.addEventListener("change", () => go("/ui/kpis?range=" + sel.value));
  const body = h("div", {});
  view.replaceChildren(h("h1", {}, "KPIs"), h("div", { class: "filters" }, h("label", {}, "Window", sel)), body);
  async function load() {
    const k = await api("/api/v1/kpis" + query({ since: sinceIso(range) }));
    const g = k.goodput || {}, dt = k.downtime || {}, m = k.mttr || {};
    body.replaceChildren(
      h("div", { class: "grid" },
        h("div", { class: "card" }, h("div", { class: "muted" }, "Goodput"), h("div", { class: "kpi", "data-testid": "kpi-goodput" }, g.ratio === null || g.ratio === undefined ? "—" : `${(g.ratio * 100).toFixed(1)} %`),
          h("div", { class: "muted" }, `${(g.runHours || 0).toFixed(1)} h run, ${(g.lostHours || 0).toFixed(1)} h lost`)),
        h("div", { class: "card" }, h("div", { class: "muted" }, "Mean time to recover"), h("div", { class: "kpi", "data-testid": "kpi-mttr" }, fmtMs(m.meanMs)),
          h("div", { class: "muted" }, `${m.count || 0} recoveries; p50 ${fmtMs(m.p50Ms)}, p90 ${fmtMs(m.p90Ms)}`)),
        h("div", { class: "card" }, h("div", { class: "muted" }, "Mean downtime per interruption"), h("div", { class: "kpi" }, fmtMs(dt.meanMs)),
          h("div", { class: "muted" }, `${dt.interruptions || 0} interruptions`))),
      h("h2", {}, "Downtime split (mean per interruption)"),
      h("div", { class: "card" }, barChart([
        { label: "lost work", value: dt.lostWorkMs || 0 }, { label: "detection", value: dt.detectionMs || 0 },
        { label: "shutdown", value: dt.shutdownMs || 0 }, { label: "waiting", value: dt.waitingMs || 0 },
        { label: "restart", value: dt.restartMs || 0 }], fmtMs)),
      h("h2", {}, "Recoveries by cause"),
      h("div", { class: "card" }, (k.recoveriesByCause || []).length ? barChart(k.recoveriesByCause.map((r) => ({ label: r.cause, value: r.count }))) : h("p", { class: "muted" }, "No recoveries in this window.")),
      h("h2", {}, "Per day (red: failures, blue: recoveries)"),
      h("div", { class: "card" }, (k.daily || []).length ? dayChart(k.daily) : h("p", { class: "muted" }, "No data in this window.")),
      seesAll() ? h("h2", {}, "Lemon nodes (different jobs with an anomaly on the node)") : null,
      seesAll() ? h("div", { class: "card" }, (k.lemonNodes || []).length
        ? h("table", {}, h("thead", {}, h("tr", {}, ...["Node", "Jobs", "Anomalies", "Health"].map((t) => h("th", {}, t)))),
          h("tbody", {}, ...k.lemonNodes.map((n) => h("tr", {}, h("td", {}, n.node), h("td", { class: "num" }, String(n.jobs)), h("td", { class: "num" }, String(n.anomalies)), h("td", {}, badge(n.health))))))
        : h("p", { class: "muted" }, "No node stands out.")) : null);
  }
  await load();
  refresh = () => load().catch(() => {});
}

// ---------- Rules ----------

async function rulesView() {
  const r = await api("/api/v1/rules");
  const text = h("textarea", { "aria-label": "Log text", "data-testid": "diagnose-text", placeholder: "Paste a job's log here" });
  const out = h("div", { "data-testid": "diagnose-result" });
  const form = h("form", { onsubmit: async (ev) => {
    ev.preventDefault();
    out.replaceChildren(h("p", { class: "muted" }, "Diagnosing…"));
    try {
      const d = await api("/api/v1/diagnose", { method: "POST", body: { text: text.value } });
      out.replaceChildren(h("p", {}, h("strong", {}, d.summary || "")),
        d.findings.length === 0 ? null : h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, ...["Line", "Cause", "Type", "Action", "Rule", "Text"].map((t) => h("th", {}, t)))),
          h("tbody", {}, ...d.findings.map((f) => h("tr", { class: d.root && d.root.lineNumber === f.lineNumber ? "root" : null },
            h("td", { class: "num" }, String(f.lineNumber)), h("td", {}, f.cause + (d.root && d.root.lineNumber === f.lineNumber ? " (root)" : "")), h("td", {}, f.type),
            h("td", {}, f.action), h("td", {}, f.rule), h("td", {}, h("code", {}, f.line))))))));
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  } }, text, h("p", {}, h("button", { class: "primary", type: "submit" }, "Diagnose")));
  view.replaceChildren(h("h1", {}, "Rules"),
    h("h2", {}, "Diagnose a log"), h("div", { class: "card" }, form, out),
    h("h2", {}, `Catalog (${r.items.length} rules)`),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ...["Rule", "Cause", "Type", "Action", "Severity", "What it means"].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...r.items.map((x) => h("tr", {}, h("td", {}, h("code", {}, x.id)), h("td", {}, x.cause), h("td", {}, x.type),
        h("td", {}, x.action), h("td", {}, x.severity || ""), h("td", {}, x.description || "")))))));
}

// ---------- Audit ----------

async function auditView() {
  const params = new URLSearchParams(location.search);
  const offset = Number(params.get("offset") || 0);
  const actor = params.get("actor") || "";
  const actorIn = h("input", { name: "actor", value: actor, "aria-label": "Actor", placeholder: "user or ajr" });
  const body = h("div", {});
  view.replaceChildren(h("h1", {}, "Audit"),
    h("form", { class: "filters", onsubmit: (ev) => { ev.preventDefault(); go("/ui/audit" + query({ actor: actorIn.value.trim() })); } },
      h("label", {}, "Who", actorIn), h("button", { type: "submit", class: "primary" }, "Filter")), body);
  async function load() {
    const r = await api("/api/v1/audit" + query({ actor, offset, limit: 100 }));
    const last = r.offset + r.items.length;
    body.replaceChildren(h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ...["When", "Who", "What", "On", "Details"].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...r.items.map((e) => h("tr", {}, h("td", {}, fmtTime(e.at)), h("td", {}, e.actor), h("td", {}, e.action),
        h("td", {}, e.target || ""), h("td", {}, e.detail || "")))))),
    h("div", { class: "pager" },
      h("button", { type: "button", disabled: r.offset === 0, onclick: () => go("/ui/audit" + query({ actor, offset: Math.max(0, r.offset - 100) || "" })) }, "‹ Newer"),
      h("span", {}, `${r.total === 0 ? 0 : r.offset + 1}–${last} of ${r.total}`),
      h("button", { type: "button", disabled: last >= r.total, onclick: () => go("/ui/audit" + query({ actor, offset: r.offset + 100 })) }, "Older ›")));
  }
  await load();
  refresh = () => load().catch(() => {});
}

// ---------- Admin: users and settings ----------

async function adminView() {
  const [users, settings] = await Promise.all([api("/api/v1/users?limit=250"), api("/api/v1/settings")]);
  const name = h("input", { name: "username", "aria-label": "New user name", placeholder: "user name", required: true });
  const pass = h("input", { name: "password", type: "password", autocomplete: "new-password", "aria-label": "New user password", placeholder: "password (12+ characters)", required: true });
  const role = h("select", { "aria-label": "New user role" }, ...["viewer", "operator", "admin"].map((r) => h("option", { value: r }, r)));
  const msg = h("span", { role: "status" });
  view.replaceChildren(h("h1", {}, "Admin"),
    h("h2", {}, "Users"),
    h("form", { class: "filters", onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api("/api/v1/users", { method: "POST", body: { username: name.value.trim(), password: pass.value, role: role.value } });
        render();
      } catch (e) {
        msg.textContent = e.message;
      }
    } }, h("label", {}, "User", name), h("label", {}, "Password", pass), h("label", {}, "Role", role), h("button", { type: "submit", class: "primary" }, "Add user"), msg),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ...["User", "Role", "Source", "Created", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...users.items.map((u) => {
        const rs = h("select", { "aria-label": `Role of ${u.username}` }, ...["viewer", "operator", "admin"].map((r) => h("option", { value: r, selected: r === u.role }, r)));
        rs.addEventListener("change", async () => {
          try { await api(`/api/v1/users/${encodeURIComponent(u.username)}`, { method: "PUT", body: { role: rs.value } }); } catch (e) { alert(e.message); render(); }
        });
        return h("tr", {}, h("td", {}, u.username), h("td", {}, rs), h("td", {}, u.source), h("td", {}, fmtTime(u.createdAt)),
          h("td", {}, u.username === me.username ? null : h("button", { type: "button", class: "danger", onclick: async () => {
            if (!confirm(`Delete user ${u.username} and their tokens?`)) return;
            try { await api(`/api/v1/users/${encodeURIComponent(u.username)}`, { method: "DELETE" }); render(); } catch (e) { alert(e.message); }
          } }, "Delete")));
      })))),
    h("h2", {}, "Settings (read-only; set in the configuration file)"),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ...["Option", "Value", "Default", "Meaning"].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...settings.items.map((s) => h("tr", {}, h("td", {}, h("code", {}, s.name)), h("td", {}, h("code", {}, s.value)),
        h("td", {}, h("code", {}, s.default)), h("td", {}, s.description)))))));
}

async function accountView() {
  const tokens = await api("/api/v1/tokens");
  const tname = h("input", { "aria-label": "Token name", placeholder: "token name, e.g. ci", required: true });
  const shown = h("div", { role: "status" });
  view.replaceChildren(h("h1", {}, "Account"),
    h("p", {}, `Logged in as ${me.username} (${me.role}).`),
    h("h2", {}, "API tokens"),
    h("p", { class: "muted" }, "For scripts: send 'Authorization: Bearer <token>'. A token acts with your role."),
    h("form", { class: "filters", onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const t = await api("/api/v1/tokens", { method: "POST", body: { name: tname.value.trim() } });
        shown.replaceChildren(h("p", {}, "Your new token (shown once): ", h("code", { "data-testid": "new-token" }, t.token)));
        const list = await api("/api/v1/tokens");
        const next = tokenTable(list);
        table.replaceWith(next);
        table = next;
      } catch (e) {
        shown.replaceChildren(errorBox(e));
      }
    } }, h("label", {}, "Name", tname), h("button", { type: "submit", class: "primary" }, "Create token")), shown);
  let table = null;
  table = tokenTable(tokens);
  view.append(table);
  function tokenTable(list) {
    const t = h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ...["Name", "Created", ""].map((x) => h("th", {}, x)))),
      h("tbody", {}, ...list.items.map((k) => h("tr", {}, h("td", {}, k.name), h("td", {}, fmtTime(k.createdAt)),
        h("td", {}, h("button", { type: "button", class: "danger", onclick: async () => {
          try { await api(`/api/v1/tokens/${k.id}`, { method: "DELETE" }); render(); } catch (e) { alert(e.message); }
        } }, "Revoke")))))));
    return t;
  }
}

// ---------- start ----------

(async function start() {
  try {
    me = await api("/api/v1/me");
    openStream();
    render();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) view.replaceChildren(errorBox(e));
  }
})();
