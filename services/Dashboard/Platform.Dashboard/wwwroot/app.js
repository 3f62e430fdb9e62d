// The operator dashboard: one page, a view per hash (#resources, #messages, #consortium), each polling its JSON
// endpoint every 2 seconds. Traces, logs and metrics are the Aspire dashboard's: when /api/links names it, the header,
// the resources and the error messages' trace ids link there. Everything is built with DOM calls (textContent),
// never innerHTML, since message bodies and headers are untrusted text.
"use strict";

const REFRESH_MS = 2000;
const main = document.getElementById("main");
const state = { timer: null, view: null, selected: {} };
// The Aspire dashboard's base URL (no trailing slash), or null: then nothing links there.
const links = { aspire: null };

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// replaceChildren would print null and false as text.
function fill(root, ...children) {
  root.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
}

// The login cookie goes with every request (same origin). When it has expired, back to the login form.
async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (response.status === 401) { toLogin(); throw new Error("logged out"); }
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function toLogin() {
  location.assign(`/login?returnUrl=${encodeURIComponent("/" + location.hash)}`);
}

// A change made with the cookie carries X-Requested-With: the server refuses it otherwise (CSRF).
function post(url, body) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Requested-With": "dashboard" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function logout() {
  await post("/logout").catch(() => null);
  location.assign("/login");
}

const fmtMs = ms => ms == null ? "" : ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms.toFixed(ms < 10 ? 1 : 0) + " ms";
const fmtDuration = s => s == null ? "" : s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : s < 86400 ? `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min` : `${Math.floor(s / 86400)} d ${Math.floor(s % 86400 / 3600)} h`;
const badge = (text, kind) => h("span", { class: `badge ${kind || ""}` }, text);
const statusKind = s => ({ healthy: "ok", ready: "ok", live: "ok", degraded: "warn", "not ready": "warn" }[s] || (s === "unknown" ? "" : "bad"));

// ---------- Links to the Aspire dashboard ----------
const aspire = {
  trace: traceId => `${links.aspire}/traces/detail/${encodeURIComponent(traceId)}`,
  consoleLogs: resource => `${links.aspire}/consolelogs/resource/${encodeURIComponent(resource)}`,
  structuredLogs: resource => `${links.aspire}/structuredlogs/resource/${encodeURIComponent(resource)}`,
};
const external = (href, text, attrs) => h("a", { href, target: "_blank", rel: "noopener", ...attrs }, text);
const traceLink = traceId => links.aspire ? external(aspire.trace(traceId), traceId, { "data-testid": "trace-link", title: "Open this trace in the Aspire dashboard" }) : traceId;

async function loadLinks() {
  try {
    links.aspire = (await getJson("/api/links")).aspireDashboard || null;
  } catch {
    links.aspire = null;
  }
  if (links.aspire) fill(document.getElementById("external"), external(links.aspire, "Telemetry (Aspire dashboard)", { "data-testid": "aspire-link" }));
}

function table(columns, rows, { onRow, selectedKey, testId } = {}) {
  return h("table", { "data-testid": testId },
    h("thead", {}, h("tr", {}, columns.map(c => h("th", { class: c.num ? "num" : "" }, c.title)))),
    h("tbody", {}, rows.length === 0
      ? h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "nothing yet"))
      : rows.map(row => h("tr", {
          class: (onRow ? "clickable " : "") + (selectedKey && selectedKey(row) ? "selected" : ""),
          onclick: onRow ? () => onRow(row) : null,
        }, columns.map(c => h("td", { class: c.num ? "num" : "", "data-col": c.key }, c.value(row)))))));
}

// ---------- Resources ----------
async function renderResources(root) {
  const report = await getJson("/api/resources");
  const selected = state.selected.resource;
  const since = r => h("span", { title: `since ${new Date(r.since).toLocaleString()}${r.sinceFirstCheck ? " (the dashboard's first check: maybe longer)" : ""}` },
    `${r.sinceFirstCheck ? "≥ " : ""}${fmtDuration(r.forSeconds)}`);
  const columns = [
    { title: "Resource", key: "name", value: r => h("strong", {}, r.name) },
    { title: "Kind", key: "kind", value: r => r.kind },
    { title: "State", key: "state", value: r => badge(r.state, statusKind(r.state)) },
    { title: "For", key: "since", value: since, num: true },
    { title: "Live", key: "live", value: r => badge(r.live ? "live" : "not live", r.live ? "ok" : "bad") },
    { title: "Ready", key: "ready", value: r => badge(r.ready ? "ready" : "not ready", r.ready ? "ok" : "bad") },
    { title: "Why", key: "reason", value: r => h("span", { class: "muted" }, r.reason || "") },
    { title: "Response", key: "response", value: r => h("span", { title: `/health/live ${fmtMs(r.liveMs) || "no answer"}` }, fmtMs(r.readyMs)), num: true },
    { title: "URL", key: "url", value: r => !r.url ? "" : external(r.url + (r.kind === "service" ? "/docs" : ""), r.url) },
  ];
  if (links.aspire) {
    // The broker writes no OpenTelemetry logs: console output only.
    columns.push({ title: "Aspire dashboard", key: "aspire", value: r => h("span", {},
      external(aspire.consoleLogs(r.name), "console", { "data-link": "console-logs", onclick: e => e.stopPropagation() }),
      r.kind === "service" ? [" · ", external(aspire.structuredLogs(r.name), "structured logs", { "data-link": "structured-logs", onclick: e => e.stopPropagation() })] : null) });
  }
  fill(root,
    h("h2", {}, "Resources"),
    report.resources.length === 0 ? h("div", { class: "notice" }, "No service is configured (services:NAME:http:0).") : null,
    h("div", { class: "panel" }, table(columns, report.resources,
      { testId: "resources", onRow: r => { state.selected.resource = r.name; refresh(); }, selectedKey: r => r.name === selected })));
  const chosen = report.resources.find(r => r.name === selected);
  if (!chosen) return;
  root.appendChild(h("div", { class: "panel" }, h("h2", {}, `Readiness of ${chosen.name}`),
    chosen.checks.length === 0 ? h("div", { class: "muted" }, chosen.reason || "no readiness report")
      : table([
          { title: "Check", value: c => c.name },
          { title: "Status", value: c => badge(c.status, statusKind(c.status)) },
          { title: "Description", value: c => c.description || "" },
        ], chosen.checks, { testId: "checks" })));
}

// ---------- Message flow ----------
async function act(action, queue, message) {
  const verb = action === "replay" ? `Replay message ${message.messageId} to ${queue.name.replace(/_error$/, "")}?` : `Discard message ${message.messageId} for good?`;
  if (!confirm(verb)) return;
  const response = await post(`/api/messaging/errors/${action}`, { virtualHost: queue.virtualHost, queue: queue.name, messageId: message.messageId });
  if (response.status === 401) { toLogin(); return; }
  const body = await response.json().catch(() => ({}));
  state.notice = response.ok
    ? { kind: "ok", text: `${body.outcome}: ${message.messageId}` }
    : { kind: "bad", text: body.detail || `${action} failed (${response.status})` };
  state.errorPanel = null;
  refresh();
}

async function errorMessagesPanel(selected) {
  const panel = h("div", { class: "panel", "data-testid": "error-messages" },
    h("h2", {}, `Messages in ${selected.name} `, h("button", { onclick: () => { state.errorPanel = null; refresh(); } }, "Refresh"),
      " ", h("button", { onclick: () => { state.selected.errorQueue = null; state.errorPanel = null; refresh(); } }, "Close")));
  const messages = await getJson(`/api/messaging/errors?vhost=${encodeURIComponent(selected.virtualHost)}&queue=${encodeURIComponent(selected.name)}&limit=50`).catch(e => ({ error: e.message }));
  if (messages.error) { panel.appendChild(h("div", { class: "notice bad" }, messages.error)); return panel; }
  if (messages.length === 0) panel.appendChild(h("div", { class: "muted" }, "The queue is empty."));
  for (const m of messages) {
    panel.appendChild(h("div", { class: "message", "data-message-id": m.messageId },
      h("div", {}, h("strong", {}, m.fault.exceptionType || "fault"), " ", h("span", {}, m.fault.message || ""), " ", h("span", { class: "muted" }, m.messageType || "")),
      h("dl", { class: "kv" }, h("dt", {}, "message id"), h("dd", {}, m.messageId), h("dt", {}, "consumer"), h("dd", {}, m.fault.consumerType || ""), h("dt", {}, "failed at"), h("dd", {}, m.fault.timestamp || ""),
        m.traceId ? [h("dt", {}, "trace"), h("dd", {}, traceLink(m.traceId))] : null),
      h("details", {}, h("summary", {}, "Exception"), h("pre", {}, m.fault.stackTrace || "(no stack trace)")),
      h("details", {}, h("summary", {}, "Headers"), h("dl", { class: "kv" }, Object.entries(m.headers).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))),
      h("details", {}, h("summary", {}, "Body"), h("pre", {}, m.body)),
      h("div", { class: "actions" },
        h("button", { class: "primary", onclick: () => act("replay", selected, m) }, "Replay"),
        h("button", { class: "danger", onclick: () => act("discard", selected, m) }, "Discard"))));
  }
  return panel;
}

async function renderMessages(root) {
  const report = await getJson("/api/messaging");
  const selected = state.selected.errorQueue;
  const all = [...report.queues, ...report.errorQueues];
  fill(root, 
    h("h2", {}, "Message flow"),
    state.notice ? h("div", { class: `notice ${state.notice.kind}`, "data-testid": "notice" }, state.notice.text) : null,
    report.brokerProblem ? h("div", { class: "notice bad" }, report.brokerProblem) : null,
    h("div", { class: "two" },
      h("div", { class: "panel" }, h("h2", {}, "Queue depth"), Charts.bars(all.filter(q => q.messages > 0 || !q.isErrorQueue).slice(0, 30)
        .map(q => ({ label: q.name, value: q.messages, color: q.isErrorQueue ? "#cf222e" : undefined })))),
      h("div", { class: "panel" }, h("h2", {}, "Outbox backlog per service"), table([
        { title: "Service", value: o => o.service },
        { title: "Status", value: o => badge(o.status, statusKind(o.status)) },
        { title: "Waiting", value: o => o.pendingMessages ?? "", num: true },
        { title: "Oldest", value: o => o.oldestAgeSeconds == null ? "" : `${o.oldestAgeSeconds} s`, num: true },
        { title: "Failing", value: o => o.failingMessages ?? "", num: true },
      ], report.outboxes, { testId: "outboxes" }))),
    h("div", { class: "panel" }, h("h2", {}, "Error queues"), table([
      { title: "Queue", value: q => h("strong", {}, q.name) },
      { title: "Virtual host", value: q => q.virtualHost },
      { title: "Messages", value: q => badge(String(q.messages), q.messages > 0 ? "bad" : "ok"), num: true },
      { title: "", value: q => h("button", { onclick: e => { e.stopPropagation(); state.selected.errorQueue = { virtualHost: q.virtualHost, name: q.name }; state.errorPanel = null; refresh(); } }, "Open") },
    ], report.errorQueues, { testId: "error-queues", selectedKey: q => selected && q.name === selected.name && q.virtualHost === selected.virtualHost })),
    h("div", { class: "panel" }, h("h2", {}, "Queues"), table([
      { title: "Queue", value: q => q.name },
      { title: "Virtual host", value: q => q.virtualHost },
      { title: "Type", value: q => q.type },
      { title: "Messages", value: q => q.messages, num: true },
      { title: "Ready", value: q => q.ready, num: true },
      { title: "Unacked", value: q => q.unacknowledged, num: true },
      { title: "Consumers", value: q => q.consumers, num: true },
      { title: "Publish/s", value: q => q.publishRate, num: true },
      { title: "Deliver/s", value: q => q.deliverRate, num: true },
    ], report.queues, { testId: "queues" })));
  if (selected) {
    // Built once per opening (and after each action), then moved along on every refresh: what the operator
    // unfolded stays unfolded while the counts above keep updating.
    if (!state.errorPanel) state.errorPanel = await errorMessagesPanel(selected);
    root.insertBefore(state.errorPanel, root.children[root.children.length - 1]);
  }
  const audit = await getJson("/api/messaging/audit");
  root.appendChild(h("div", { class: "panel" }, h("h2", {}, "Operator actions"), table([
    { title: "When", value: a => new Date(a.at).toLocaleString() },
    { title: "Action", value: a => a.action },
    { title: "Queue", value: a => a.queue },
    { title: "Message", value: a => a.messageId },
    { title: "Outcome", value: a => a.outcome },
  ], audit, { testId: "audit" })));
}

// ---------- Consortium ----------
async function renderConsortium(root) {
  const query = state.selected.consortium ? `?consortiumId=${encodeURIComponent(state.selected.consortium)}` : "";
  const report = await getJson(`/api/kpis${query}`);
  const card = c => h("div", { class: "panel", "data-testid": "kpi-card" }, h("div", { class: "card-title" }, c.title), h("div", { class: "muted" }, `from ${c.source}`),
    !c.available ? h("div", { class: "unavailable" }, `Unavailable: ${c.problem}`)
      : [c.counts ? Charts.bars(Object.entries(c.counts).map(([label, value]) => ({ label, value }))) : null,
         c.rates ? h("dl", { class: "kv" }, Object.entries(c.rates).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v <= 1 ? `${(v * 100).toFixed(1)} %` : v)])) : null,
         c.rows ? (c.rows.length === 0 ? h("div", { class: "muted" }, "none")
           : table(Object.keys(c.rows[0]).slice(0, 5).map(k => ({ title: k, value: r => r[k] ?? "" })), c.rows)) : null]);
  fill(root, h("h2", {}, "Consortium KPIs"),
    h("div", { class: "filters" }, h("select", { onchange: e => { state.selected.consortium = e.target.value; refresh(); } },
      report.consortia.length === 0 ? h("option", {}, "no consortium yet") : report.consortia.map(c => h("option", { value: c.id, selected: c.id === report.consortiumId }, c.name)))),
    h("div", { class: "grid" }, report.cards.map(card)));
}

// ---------- Routing and polling ----------
const views = { resources: renderResources, messages: renderMessages, consortium: renderConsortium };

// One render at a time: a timer tick and an action's refresh each await the API, and interleaved they would both
// insert their own copy of a panel. A refresh asked for during a render runs once it is done.
let rendering = null;
let renderAgain = false;
function refresh() {
  if (rendering) { renderAgain = true; return rendering; }
  rendering = (async () => {
    do { renderAgain = false; await render(); } while (renderAgain);
  })().finally(() => { rendering = null; });
  return rendering;
}

async function render() {
  const name = location.hash.slice(1) || "resources";
  const live = document.getElementById("live");
  try {
    await (views[name] || renderResources)(main);
    live.classList.remove("stale");
    live.textContent = "● live";
  } catch (e) {
    live.classList.add("stale");
    live.textContent = `● ${e.message}`;
  }
}

function show() {
  const name = location.hash.slice(1) || "resources";
  document.querySelectorAll("#nav a").forEach(a => a.classList.toggle("active", a.dataset.view === name));
  if (state.view !== location.hash) { main.replaceChildren(); state.notice = null; state.errorPanel = null; state.view = location.hash; }
  clearInterval(state.timer);
  refresh();
  state.timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
}

window.addEventListener("hashchange", show);
document.getElementById("logout").addEventListener("click", logout);
// The links first: the views' first render already has them.
loadLinks().finally(show);
