// The operator dashboard: one page, a view per hash (#resources, #messages, #consortium, #webhooks), each polling its JSON
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
    reportPanel(report.consortiumId),
    h("div", { class: "grid" }, report.cards.map(card)));
}

// The annual report of the chosen consortium and year: links to its printable page and its PDF (served by
// /api/reports/annual in the reader's language).
function reportPanel(consortiumId) {
  if (!consortiumId) return null;
  const thisYear = new Date().getFullYear();
  const year = state.selected.reportYear || String(thisYear);
  const link = format => `/api/reports/annual?consortiumId=${encodeURIComponent(consortiumId)}&year=${encodeURIComponent(year)}&format=${format}`;
  return h("div", { class: "panel filters", "data-testid": "annual-report" },
    h("span", { class: "card-title", "data-i18n": "report.title" }, "Annual report"), " ",
    h("label", {}, h("span", { "data-i18n": "report.year" }, "Year"), " ",
      h("select", { "data-testid": "report-year", onchange: e => { state.selected.reportYear = e.target.value; refresh(); } },
        Array.from({ length: 10 }, (_, i) => String(thisYear + 1 - i)).map(y => h("option", { value: y, selected: y === year }, y)))), " ",
    h("a", { href: link("html"), target: "_blank", rel: "noopener", "data-testid": "report-html", "data-i18n": "report.html" }, "Printable page"), " ",
    h("a", { href: link("pdf"), target: "_blank", rel: "noopener", "data-testid": "report-pdf", "data-i18n": "report.pdf" }, "PDF"));
}

// ---------- Webhooks ----------
// Every endpoint; per endpoint its delivery log (newest first) with "redeliver" for a failed delivery. The webhooks
// service being down is a notice on the page (the dashboard answers available: false), not an error.
const webhookStatusKind = s => ({ enabled: "ok", succeeded: "ok", pending: "warn", disabled: "bad", failed: "bad" }[s] || "");
const fmtTime = t => t ? new Date(t).toLocaleString() : "";
const query = params => {
  const given = Object.entries(params).filter(([, v]) => v);
  return given.length === 0 ? "" : "?" + given.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
};

async function redeliver(endpoint, delivery) {
  if (!confirm(`Redeliver ${delivery.eventType} (${delivery.messageId}) to ${endpoint.url}?`)) return;
  const response = await post(`/api/webhooks/endpoints/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`);
  if (response.status === 401) { toLogin(); return; }
  const body = await response.json().catch(() => ({}));
  state.notice = response.ok
    ? { kind: "ok", text: `Redelivery queued: ${delivery.messageId}` }
    : { kind: "bad", text: body.detail || `redeliver failed (${response.status})` };
  state.deliveryPanel = null;
  refresh();
}

async function deliveryPanel(endpoint, deliveryId) {
  const panel = h("div", { class: "panel", "data-testid": "webhook-delivery" },
    h("h2", {}, "Delivery ", h("span", { class: "muted" }, deliveryId), " ",
      h("button", { onclick: () => { state.deliveryPanel = null; refresh(); } }, "Refresh"), " ",
      h("button", { onclick: () => { state.selected.delivery = null; state.deliveryPanel = null; refresh(); } }, "Close")));
  const view = await getJson(`/api/webhooks/endpoints/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(deliveryId)}`).catch(e => ({ available: false, problem: e.message }));
  if (!view.available) { panel.appendChild(h("div", { class: "notice bad" }, view.problem)); return panel; }
  const d = view.delivery;
  panel.append(
    h("dl", { class: "kv" }, [["message id", d.messageId], ["event type", d.eventType], ["status", d.status], ["attempts", d.attemptCount], ["created", fmtTime(d.createdAt)], ["next attempt", fmtTime(d.nextAttemptAt)]]
      .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "")])),
    h("h2", {}, "Attempts"),
    table([
      { title: "When", value: a => fmtTime(a.attemptedAt) },
      { title: "Result", value: a => badge(a.succeeded ? "succeeded" : "failed", a.succeeded ? "ok" : "bad") },
      { title: "Status code", value: a => a.statusCode ?? "", num: true },
      { title: "Duration", value: a => fmtMs(a.durationMs), num: true },
      { title: "Error", value: a => a.error || "" },
      { title: "Response", value: a => a.responseSnippet ? h("pre", {}, a.responseSnippet) : "" },
    ], d.attempts || [], { testId: "webhook-attempts" }),
    h("details", {}, h("summary", {}, "Payload"), h("pre", {}, JSON.stringify(d.payload, null, 2))));
  return panel;
}

async function renderWebhooks(root) {
  const filter = state.selected.webhookFilter || {};
  const list = await getJson(`/api/webhooks/endpoints${query({ status: filter.endpointStatus, cursor: filter.endpointCursor })}`);
  const selected = list.items.find(e => e.id === state.selected.endpoint);
  const setFilter = change => { state.selected.webhookFilter = { ...filter, ...change }; state.deliveryPanel = null; refresh(); };
  fill(root,
    h("h2", {}, "Webhooks"),
    state.notice ? h("div", { class: `notice ${state.notice.kind}`, "data-testid": "notice" }, state.notice.text) : null,
    !list.available ? h("div", { class: "notice bad", "data-testid": "webhooks-unavailable" }, `The webhooks service is unavailable: ${list.problem}`) : null,
    h("div", { class: "panel" },
      h("div", { class: "filters" }, "Status ",
        h("select", { onchange: e => setFilter({ endpointStatus: e.target.value, endpointCursor: null }) },
          ["", "enabled", "disabled"].map(v => h("option", { value: v, selected: (filter.endpointStatus || "") === v }, v || "all"))),
        filter.endpointCursor ? h("button", { onclick: () => setFilter({ endpointCursor: null }) }, "First page") : null,
        list.nextCursor ? h("button", { onclick: () => setFilter({ endpointCursor: list.nextCursor }) }, "Next page") : null),
      table([
        { title: "Organization", key: "organization", value: e => h("span", { title: e.organizationId }, e.organizationName || e.organizationId) },
        { title: "URL", key: "url", value: e => h("span", { title: e.description || "" }, e.url) },
        { title: "Event types", key: "eventTypes", value: e => (e.eventTypes || []).join(", ") },
        { title: "Status", key: "status", value: e => badge(e.status, webhookStatusKind(e.status)) },
        { title: "Disabled because", key: "disabledReason", value: e => h("span", { class: "muted" }, e.disabledReason || "") },
        { title: "Since", key: "createdAt", value: e => fmtTime(e.createdAt) },
      ], list.items, {
        testId: "webhook-endpoints",
        onRow: e => { state.selected.endpoint = e.id; state.selected.delivery = null; state.selected.webhookFilter = { ...filter, deliveryStatus: null, deliveryCursor: null }; state.deliveryPanel = null; refresh(); },
        selectedKey: e => e.id === state.selected.endpoint,
      })));
  if (!selected) return;

  const log = await getJson(`/api/webhooks/endpoints/${encodeURIComponent(selected.id)}/deliveries${query({ status: filter.deliveryStatus, cursor: filter.deliveryCursor })}`)
    .catch(e => ({ available: false, problem: e.message, items: [] }));
  root.appendChild(h("div", { class: "panel", "data-testid": "webhook-deliveries" },
    h("h2", {}, "Deliveries to ", h("span", {}, selected.url)),
    !log.available ? h("div", { class: "notice bad" }, `The delivery log is unavailable: ${log.problem}`) : null,
    h("div", { class: "filters" }, "Status ",
      h("select", { onchange: e => setFilter({ deliveryStatus: e.target.value, deliveryCursor: null }) },
        ["", "pending", "succeeded", "failed"].map(v => h("option", { value: v, selected: (filter.deliveryStatus || "") === v }, v || "all"))),
      filter.deliveryCursor ? h("button", { onclick: () => setFilter({ deliveryCursor: null }) }, "Newest") : null,
      log.nextCursor ? h("button", { onclick: () => setFilter({ deliveryCursor: log.nextCursor }) }, "Older") : null),
    table([
      { title: "Created", key: "createdAt", value: d => fmtTime(d.createdAt) },
      { title: "Event type", key: "eventType", value: d => d.eventType },
      { title: "Status", key: "status", value: d => badge(d.status, webhookStatusKind(d.status)) },
      { title: "Attempts", key: "attemptCount", value: d => d.attemptCount, num: true },
      { title: "Last code", key: "lastStatusCode", value: d => d.lastStatusCode ?? "", num: true },
      { title: "Last error", key: "lastError", value: d => h("span", { class: "muted" }, d.lastError || "") },
      { title: "Last attempt", key: "lastAttemptAt", value: d => fmtTime(d.lastAttemptAt) },
      { title: "Next attempt", key: "nextAttemptAt", value: d => fmtTime(d.nextAttemptAt) },
      { title: "", key: "actions", value: d => h("span", {},
          h("button", { onclick: e => { e.stopPropagation(); state.selected.delivery = d.id; state.deliveryPanel = null; refresh(); } }, "Details"),
          d.status === "failed" ? [" ", h("button", { class: "primary", onclick: e => { e.stopPropagation(); redeliver(selected, d); } }, "Redeliver")] : null) },
    ], log.items || [], { testId: "webhook-delivery-log", selectedKey: d => d.id === state.selected.delivery })));
  if (state.selected.delivery) {
    // Built on opening (and after an action), then kept: what the operator unfolded stays unfolded.
    if (!state.deliveryPanel) state.deliveryPanel = await deliveryPanel(selected, state.selected.delivery);
    root.appendChild(state.deliveryPanel);
  }
}

// ---------- Routing and polling ----------
const views = { resources: renderResources, messages: renderMessages, consortium: renderConsortium, webhooks: renderWebhooks };

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
  if (state.view !== location.hash) { main.replaceChildren(); state.notice = null; state.errorPanel = null; state.deliveryPanel = null; state.view = location.hash; }
  clearInterval(state.timer);
  refresh();
  state.timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
}

window.addEventListener("hashchange", show);
document.getElementById("logout").addEventListener("click", logout);
// The links first: the views' first render already has them.
loadLinks().finally(show);
