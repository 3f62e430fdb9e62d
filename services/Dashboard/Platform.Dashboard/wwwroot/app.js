// The operator dashboard: one page, a view per hash (#resources, #messages, #consortium, #webhooks), each polling its JSON
// endpoint every 2 seconds. Traces, logs and metrics are the Aspire dashboard's: when /api/links names it, the header,
// the resources and the error messages' trace ids link there. Everything is built with DOM calls (textContent),
// never innerHTML, since message bodies and headers are untrusted text. Every visible word comes from /api/text in the
// reader's language (English or Simplified Chinese: the switch's cookie, else Accept-Language); dates and numbers are
// formatted with Intl in that language.
"use strict";

const REFRESH_MS = 2000;
const main = document.getElementById("main");
const state = { timer: null, view: null, selected: {} };
// The Aspire dashboard's base URL (no trailing slash), or null: then nothing links there.
const links = { aspire: null };

// ---------- Language ----------
const i18n = { lang: "en", text: {} };
// The words of a key with {0}, {1}… filled in; the key itself if /api/text did not have it (visible, never blank).
function t(key, ...args) {
  const words = i18n.text[key];
  return words === undefined ? key : words.replace(/\{(\d+)\}/g, (m, n) => args[n] === undefined ? m : String(args[n]));
}
// A value the services send (a kind, a status, a state) in the reader's words, or as sent when there are none.
const word = (group, value) => value == null ? "" : i18n.text[`${group}.${value}`] ?? String(value);
const stateWord = s => word("state", String(s).replace(/ (\w)/g, (_, c) => c.toUpperCase()));
// "Active members by kind" → "kpi.activeMembersByKind": a KPI card's title by the words the dashboard sends.
const kpiKey = title => "kpi." + title.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w, i) => i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase()).join("");
const fmtNumber = (n, options) => typeof n === "number" ? new Intl.NumberFormat(i18n.lang, options).format(n) : n;
const fmtTime = t => t ? new Intl.DateTimeFormat(i18n.lang, { dateStyle: "medium", timeStyle: "medium" }).format(new Date(t)) : "";

async function loadText() {
  try {
    const page = await getJson("/api/text");
    i18n.lang = page.language;
    i18n.text = page.text;
  } catch {
    return;   // the English already in the page stays
  }
  document.documentElement.lang = i18n.lang;
  document.querySelectorAll("[data-i18n]").forEach(node => { if (i18n.text[node.dataset.i18n] !== undefined) node.textContent = i18n.text[node.dataset.i18n]; });
  document.querySelectorAll("[data-i18n-title]").forEach(node => { if (i18n.text[node.dataset.i18nTitle] !== undefined) node.title = i18n.text[node.dataset.i18nTitle]; });
  document.querySelectorAll("[data-i18n-aria-label]").forEach(node => { if (i18n.text[node.dataset.i18nAriaLabel] !== undefined) node.setAttribute("aria-label", i18n.text[node.dataset.i18nAriaLabel]); });
  document.querySelectorAll("#language button").forEach(b => b.setAttribute("aria-pressed", String(b.dataset.lang === i18n.lang)));
}

async function chooseLanguage(language) {
  const response = await post("/api/language", { language });
  if (response.status === 401) { toLogin(); return; }
  location.reload();
}

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
  if (!response.ok) throw new Error(t("error.answered", url, response.status));
  return response.json();
}

// Set by logout: a poll answered 401 after the session ended must not send the page elsewhere than logout does.
let loggingOut = false;

function toLogin() {
  if (loggingOut) return;
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
  loggingOut = true;
  await post("/logout").catch(() => null);
  location.assign("/login");
}

const fmtMs = ms => ms == null ? "" : ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms.toFixed(ms < 10 ? 1 : 0) + " ms";
const fmtDuration = s => s == null ? "" : s < 60 ? t("unit.seconds", s) : s < 3600 ? t("unit.minutesSeconds", Math.floor(s / 60), s % 60)
  : s < 86400 ? t("unit.hoursMinutes", Math.floor(s / 3600), Math.floor(s % 3600 / 60)) : t("unit.daysHours", Math.floor(s / 86400), Math.floor(s % 86400 / 3600));
const badge = (text, kind) => h("span", { class: `badge ${kind || ""}` }, text);
const statusKind = s => ({ healthy: "ok", ready: "ok", live: "ok", degraded: "warn", "not ready": "warn" }[s] || (s === "unknown" ? "" : "bad"));

// ---------- Links to the Aspire dashboard ----------
const aspire = {
  trace: traceId => `${links.aspire}/traces/detail/${encodeURIComponent(traceId)}`,
  consoleLogs: resource => `${links.aspire}/consolelogs/resource/${encodeURIComponent(resource)}`,
  structuredLogs: resource => `${links.aspire}/structuredlogs/resource/${encodeURIComponent(resource)}`,
};
const external = (href, text, attrs) => h("a", { href, target: "_blank", rel: "noopener", ...attrs }, text);
const traceLink = traceId => links.aspire ? external(aspire.trace(traceId), traceId, { "data-testid": "trace-link", title: t("aspire.trace") }) : traceId;

async function loadLinks() {
  try {
    links.aspire = (await getJson("/api/links")).aspireDashboard || null;
  } catch {
    links.aspire = null;
  }
  if (links.aspire) fill(document.getElementById("external"), external(links.aspire, t("aspire.link"), { "data-testid": "aspire-link" }));
}

function table(columns, rows, { onRow, selectedKey, testId } = {}) {
  return h("table", { "data-testid": testId },
    h("thead", {}, h("tr", {}, columns.map(c => h("th", { class: c.num ? "num" : "" }, c.title)))),
    h("tbody", {}, rows.length === 0
      ? h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, t("table.empty")))
      : rows.map(row => h("tr", {
          class: (onRow ? "clickable " : "") + (selectedKey && selectedKey(row) ? "selected" : ""),
          onclick: onRow ? () => onRow(row) : null,
        }, columns.map(c => h("td", { class: c.num ? "num" : "", "data-col": c.key }, c.value(row)))))));
}

// ---------- Resources ----------
async function renderResources(root) {
  const report = await getJson("/api/resources");
  const selected = state.selected.resource;
  const since = r => h("span", { title: t(r.sinceFirstCheck ? "resources.sinceFirstCheck" : "resources.since", fmtTime(r.since)) },
    `${r.sinceFirstCheck ? "≥ " : ""}${fmtDuration(r.forSeconds)}`);
  const columns = [
    { title: t("col.resource"), key: "name", value: r => h("strong", {}, r.name) },
    { title: t("col.kind"), key: "kind", value: r => r.kind },
    { title: t("col.state"), key: "state", value: r => badge(stateWord(r.state), statusKind(r.state)) },
    { title: t("col.for"), key: "since", value: since, num: true },
    { title: t("col.live"), key: "live", value: r => badge(t(r.live ? "state.live" : "state.notLive"), r.live ? "ok" : "bad") },
    { title: t("col.ready"), key: "ready", value: r => badge(t(r.ready ? "state.ready" : "state.notReady"), r.ready ? "ok" : "bad") },
    { title: t("col.why"), key: "reason", value: r => h("span", { class: "muted" }, r.reason || "") },
    { title: t("col.response"), key: "response", value: r => h("span", { title: `/health/live ${fmtMs(r.liveMs) || t("resources.noAnswer")}` }, fmtMs(r.readyMs)), num: true },
    { title: t("col.url"), key: "url", value: r => !r.url ? "" : external(r.url + (r.kind === "service" ? "/docs" : ""), r.url) },
  ];
  if (links.aspire) {
    // The broker writes no OpenTelemetry logs: console output only.
    columns.push({ title: t("col.aspire"), key: "aspire", value: r => h("span", {},
      external(aspire.consoleLogs(r.name), t("aspire.console"), { "data-link": "console-logs", onclick: e => e.stopPropagation() }),
      r.kind === "service" ? [" · ", external(aspire.structuredLogs(r.name), t("aspire.structuredLogs"), { "data-link": "structured-logs", onclick: e => e.stopPropagation() })] : null) });
  }
  fill(root,
    h("h2", {}, t("resources.title")),
    report.resources.length === 0 ? h("div", { class: "notice" }, t("resources.none")) : null,
    h("div", { class: "panel" }, table(columns, report.resources,
      { testId: "resources", onRow: r => { state.selected.resource = r.name; refresh(); }, selectedKey: r => r.name === selected })));
  const chosen = report.resources.find(r => r.name === selected);
  if (!chosen) return;
  root.appendChild(h("div", { class: "panel" }, h("h2", {}, t("resources.readinessOf", chosen.name)),
    chosen.checks.length === 0 ? h("div", { class: "muted" }, chosen.reason || t("resources.noReport"))
      : table([
          { title: t("col.check"), value: c => c.name },
          { title: t("col.status"), value: c => badge(stateWord(c.status), statusKind(c.status)) },
          { title: t("col.description"), value: c => c.description || "" },
        ], chosen.checks, { testId: "checks" })));
}

// ---------- Message flow ----------
async function act(action, queue, message) {
  const verb = action === "replay" ? t("messages.confirmReplay", message.messageId, queue.name.replace(/_error$/, "")) : t("messages.confirmDiscard", message.messageId);
  if (!confirm(verb)) return;
  const response = await post(`/api/messaging/errors/${action}`, { virtualHost: queue.virtualHost, queue: queue.name, messageId: message.messageId });
  if (response.status === 401) { toLogin(); return; }
  const body = await response.json().catch(() => ({}));
  state.notice = response.ok
    ? { kind: "ok", text: `${body.outcome}: ${message.messageId}` }
    : { kind: "bad", text: body.detail || t("messages.actionFailed", action, response.status) };
  state.errorPanel = null;
  refresh();
}

async function errorMessagesPanel(selected) {
  const panel = h("div", { class: "panel", "data-testid": "error-messages" },
    h("h2", {}, t("messages.in", selected.name), " ", h("button", { onclick: () => { state.errorPanel = null; refresh(); } }, t("button.refresh")),
      " ", h("button", { onclick: () => { state.selected.errorQueue = null; state.errorPanel = null; refresh(); } }, t("button.close"))));
  const messages = await getJson(`/api/messaging/errors?vhost=${encodeURIComponent(selected.virtualHost)}&queue=${encodeURIComponent(selected.name)}&limit=50`).catch(e => ({ error: e.message }));
  if (messages.error) { panel.appendChild(h("div", { class: "notice bad" }, messages.error)); return panel; }
  if (messages.length === 0) panel.appendChild(h("div", { class: "muted" }, t("messages.empty")));
  for (const m of messages) {
    panel.appendChild(h("div", { class: "message", "data-message-id": m.messageId },
      h("div", {}, h("strong", {}, m.fault.exceptionType || t("messages.fault")), " ", h("span", {}, m.fault.message || ""), " ", h("span", { class: "muted" }, m.messageType || "")),
      h("dl", { class: "kv" }, h("dt", {}, t("messages.messageId")), h("dd", {}, m.messageId), h("dt", {}, t("messages.consumer")), h("dd", {}, m.fault.consumerType || ""), h("dt", {}, t("messages.failedAt")), h("dd", {}, m.fault.timestamp || ""),
        m.traceId ? [h("dt", {}, t("messages.trace")), h("dd", {}, traceLink(m.traceId))] : null),
      h("details", {}, h("summary", {}, t("messages.exception")), h("pre", {}, m.fault.stackTrace || t("messages.noStackTrace"))),
      h("details", {}, h("summary", {}, t("messages.headers")), h("dl", { class: "kv" }, Object.entries(m.headers).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))),
      h("details", {}, h("summary", {}, t("messages.body")), h("pre", {}, m.body)),
      h("div", { class: "actions" },
        h("button", { class: "primary", onclick: () => act("replay", selected, m) }, t("button.replay")),
        h("button", { class: "danger", onclick: () => act("discard", selected, m) }, t("button.discard")))));
  }
  return panel;
}

async function renderMessages(root) {
  const report = await getJson("/api/messaging");
  const selected = state.selected.errorQueue;
  const all = [...report.queues, ...report.errorQueues];
  fill(root, 
    h("h2", {}, t("messages.title")),
    state.notice ? h("div", { class: `notice ${state.notice.kind}`, "data-testid": "notice" }, state.notice.text) : null,
    report.brokerProblem ? h("div", { class: "notice bad" }, report.brokerProblem) : null,
    h("div", { class: "two" },
      h("div", { class: "panel" }, h("h2", {}, t("messages.queueDepth")), Charts.bars(all.filter(q => q.messages > 0 || !q.isErrorQueue).slice(0, 30)
        .map(q => ({ label: q.name, value: q.messages, color: q.isErrorQueue ? "#cf222e" : undefined })))),
      h("div", { class: "panel" }, h("h2", {}, t("messages.outboxes")), table([
        { title: t("col.service"), value: o => o.service },
        { title: t("col.status"), value: o => badge(stateWord(o.status), statusKind(o.status)) },
        { title: t("col.waiting"), value: o => fmtNumber(o.pendingMessages) ?? "", num: true },
        { title: t("col.oldest"), value: o => o.oldestAgeSeconds == null ? "" : t("unit.seconds", fmtNumber(o.oldestAgeSeconds)), num: true },
        { title: t("col.failing"), value: o => fmtNumber(o.failingMessages) ?? "", num: true },
      ], report.outboxes, { testId: "outboxes" }))),
    h("div", { class: "panel" }, h("h2", {}, t("messages.errorQueues")), table([
      { title: t("col.queue"), value: q => h("strong", {}, q.name) },
      { title: t("col.virtualHost"), value: q => q.virtualHost },
      { title: t("col.messages"), value: q => badge(fmtNumber(q.messages), q.messages > 0 ? "bad" : "ok"), num: true },
      { title: "", value: q => h("button", { onclick: e => { e.stopPropagation(); state.selected.errorQueue = { virtualHost: q.virtualHost, name: q.name }; state.errorPanel = null; refresh(); } }, t("button.open")) },
    ], report.errorQueues, { testId: "error-queues", selectedKey: q => selected && q.name === selected.name && q.virtualHost === selected.virtualHost })),
    h("div", { class: "panel" }, h("h2", {}, t("messages.queues")), table([
      { title: t("col.queue"), value: q => q.name },
      { title: t("col.virtualHost"), value: q => q.virtualHost },
      { title: t("col.type"), value: q => q.type },
      { title: t("col.messages"), value: q => fmtNumber(q.messages), num: true },
      { title: t("col.ready"), value: q => fmtNumber(q.ready), num: true },
      { title: t("col.unacked"), value: q => fmtNumber(q.unacknowledged), num: true },
      { title: t("col.consumers"), value: q => fmtNumber(q.consumers), num: true },
      { title: t("col.publishRate"), value: q => fmtNumber(q.publishRate), num: true },
      { title: t("col.deliverRate"), value: q => fmtNumber(q.deliverRate), num: true },
    ], report.queues, { testId: "queues" })));
  if (selected) {
    // Built once per opening (and after each action), then moved along on every refresh: what the operator
    // unfolded stays unfolded while the counts above keep updating.
    if (!state.errorPanel) state.errorPanel = await errorMessagesPanel(selected);
    root.insertBefore(state.errorPanel, root.children[root.children.length - 1]);
  }
  const audit = await getJson("/api/messaging/audit");
  root.appendChild(h("div", { class: "panel" }, h("h2", {}, t("messages.audit")), table([
    { title: t("col.when"), value: a => fmtTime(a.at) },
    { title: t("col.action"), value: a => a.action },
    { title: t("col.queue"), value: a => a.queue },
    { title: t("col.message"), value: a => a.messageId },
    { title: t("col.outcome"), value: a => a.outcome },
  ], audit, { testId: "audit" })));
}

// ---------- Consortium ----------
async function renderConsortium(root) {
  const query = state.selected.consortium ? `?consortiumId=${encodeURIComponent(state.selected.consortium)}` : "";
  const report = await getJson(`/api/kpis${query}`);
  const card = c => h("div", { class: "panel", "data-testid": "kpi-card" }, h("div", { class: "card-title" }, i18n.text[kpiKey(c.title)] ?? c.title), h("div", { class: "muted" }, t("kpi.from", c.source)),
    !c.available ? h("div", { class: "unavailable" }, t("kpi.unavailable", c.problem))
      : [c.counts ? Charts.bars(Object.entries(c.counts).map(([label, value]) => ({ label: word("word", label), value }))) : null,
         c.rates ? h("dl", { class: "kv" }, Object.entries(c.rates).flatMap(([k, v]) => [h("dt", {}, word("word", k)), h("dd", {}, v <= 1 ? t("unit.percent", fmtNumber(v * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1 })) : fmtNumber(v))])) : null,
         c.rows ? (c.rows.length === 0 ? h("div", { class: "muted" }, t("kpi.none"))
           : table(Object.keys(c.rows[0]).slice(0, 5).map(k => ({ title: k, value: r => r[k] ?? "" })), c.rows)) : null]);
  fill(root, h("h2", {}, t("consortium.title")),
    h("div", { class: "filters" }, h("select", { onchange: e => { state.selected.consortium = e.target.value; refresh(); } },
      report.consortia.length === 0 ? h("option", {}, t("consortium.noneYet")) : report.consortia.map(c => h("option", { value: c.id, selected: c.id === report.consortiumId }, c.name)))),
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
    h("span", { class: "card-title" }, t("report.title")), " ",
    h("label", {}, h("span", {}, t("report.year")), " ",
      h("select", { "data-testid": "report-year", onchange: e => { state.selected.reportYear = e.target.value; refresh(); } },
        Array.from({ length: 10 }, (_, i) => String(thisYear + 1 - i)).map(y => h("option", { value: y, selected: y === year }, y)))), " ",
    h("a", { href: link("html"), target: "_blank", rel: "noopener", "data-testid": "report-html" }, t("report.html")), " ",
    h("a", { href: link("pdf"), target: "_blank", rel: "noopener", "data-testid": "report-pdf" }, t("report.pdf")));
}

// ---------- Webhooks ----------
// Every endpoint; per endpoint its delivery log (newest first) with "redeliver" for a failed delivery. The webhooks
// service being down is a notice on the page (the dashboard answers available: false), not an error.
const webhookStatusKind = s => ({ enabled: "ok", succeeded: "ok", pending: "warn", disabled: "bad", failed: "bad" }[s] || "");
const query = params => {
  const given = Object.entries(params).filter(([, v]) => v);
  return given.length === 0 ? "" : "?" + given.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
};

async function redeliver(endpoint, delivery) {
  if (!confirm(t("webhooks.confirmRedeliver", delivery.eventType, delivery.messageId, endpoint.url))) return;
  const response = await post(`/api/webhooks/endpoints/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`);
  if (response.status === 401) { toLogin(); return; }
  const body = await response.json().catch(() => ({}));
  state.notice = response.ok
    ? { kind: "ok", text: t("webhooks.queued", delivery.messageId) }
    : { kind: "bad", text: body.detail || t("webhooks.redeliverFailed", response.status) };
  state.deliveryPanel = null;
  refresh();
}

async function deliveryPanel(endpoint, deliveryId) {
  const panel = h("div", { class: "panel", "data-testid": "webhook-delivery" },
    h("h2", {}, t("webhooks.delivery"), " ", h("span", { class: "muted" }, deliveryId), " ",
      h("button", { onclick: () => { state.deliveryPanel = null; refresh(); } }, t("button.refresh")), " ",
      h("button", { onclick: () => { state.selected.delivery = null; state.deliveryPanel = null; refresh(); } }, t("button.close"))));
  const view = await getJson(`/api/webhooks/endpoints/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(deliveryId)}`).catch(e => ({ available: false, problem: e.message }));
  if (!view.available) { panel.appendChild(h("div", { class: "notice bad" }, view.problem)); return panel; }
  const d = view.delivery;
  panel.append(
    h("dl", { class: "kv" }, [[t("messages.messageId"), d.messageId], [t("webhooks.eventType"), d.eventType], [t("webhooks.status"), word("state", d.status)], [t("webhooks.attempts"), fmtNumber(d.attemptCount)], [t("webhooks.created"), fmtTime(d.createdAt)], [t("webhooks.nextAttempt"), fmtTime(d.nextAttemptAt)]]
      .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "")])),
    h("h2", {}, t("webhooks.attemptsTitle")),
    table([
      { title: t("col.when"), value: a => fmtTime(a.attemptedAt) },
      { title: t("col.result"), value: a => badge(t(a.succeeded ? "state.succeeded" : "state.failed"), a.succeeded ? "ok" : "bad") },
      { title: t("col.statusCode"), value: a => a.statusCode ?? "", num: true },
      { title: t("col.duration"), value: a => fmtMs(a.durationMs), num: true },
      { title: t("col.error"), value: a => a.error || "" },
      { title: t("col.response"), value: a => a.responseSnippet ? h("pre", {}, a.responseSnippet) : "" },
    ], d.attempts || [], { testId: "webhook-attempts" }),
    h("details", {}, h("summary", {}, t("webhooks.payload")), h("pre", {}, JSON.stringify(d.payload, null, 2))));
  return panel;
}

async function renderWebhooks(root) {
  const filter = state.selected.webhookFilter || {};
  const list = await getJson(`/api/webhooks/endpoints${query({ status: filter.endpointStatus, cursor: filter.endpointCursor })}`);
  const selected = list.items.find(e => e.id === state.selected.endpoint);
  const setFilter = change => { state.selected.webhookFilter = { ...filter, ...change }; state.deliveryPanel = null; refresh(); };
  fill(root,
    h("h2", {}, t("webhooks.title")),
    state.notice ? h("div", { class: `notice ${state.notice.kind}`, "data-testid": "notice" }, state.notice.text) : null,
    !list.available ? h("div", { class: "notice bad", "data-testid": "webhooks-unavailable" }, t("webhooks.unavailable", list.problem)) : null,
    h("div", { class: "panel" },
      h("div", { class: "filters" }, t("webhooks.statusFilter"), " ",
        h("select", { onchange: e => setFilter({ endpointStatus: e.target.value, endpointCursor: null }) },
          ["", "enabled", "disabled"].map(v => h("option", { value: v, selected: (filter.endpointStatus || "") === v }, word("state", v || "all")))),
        filter.endpointCursor ? h("button", { onclick: () => setFilter({ endpointCursor: null }) }, t("button.firstPage")) : null,
        list.nextCursor ? h("button", { onclick: () => setFilter({ endpointCursor: list.nextCursor }) }, t("button.nextPage")) : null),
      table([
        { title: t("col.organization"), key: "organization", value: e => h("span", { title: e.organizationId }, e.organizationName || e.organizationId) },
        { title: t("col.url"), key: "url", value: e => h("span", { title: e.description || "" }, e.url) },
        { title: t("col.eventTypes"), key: "eventTypes", value: e => (e.eventTypes || []).join(", ") },
        { title: t("col.status"), key: "status", value: e => badge(word("state", e.status), webhookStatusKind(e.status)) },
        { title: t("col.disabledBecause"), key: "disabledReason", value: e => h("span", { class: "muted" }, e.disabledReason || "") },
        { title: t("col.since"), key: "createdAt", value: e => fmtTime(e.createdAt) },
      ], list.items, {
        testId: "webhook-endpoints",
        onRow: e => { state.selected.endpoint = e.id; state.selected.delivery = null; state.selected.webhookFilter = { ...filter, deliveryStatus: null, deliveryCursor: null }; state.deliveryPanel = null; refresh(); },
        selectedKey: e => e.id === state.selected.endpoint,
      })));
  if (!selected) return;

  const log = await getJson(`/api/webhooks/endpoints/${encodeURIComponent(selected.id)}/deliveries${query({ status: filter.deliveryStatus, cursor: filter.deliveryCursor })}`)
    .catch(e => ({ available: false, problem: e.message, items: [] }));
  root.appendChild(h("div", { class: "panel", "data-testid": "webhook-deliveries" },
    h("h2", {}, t("webhooks.deliveriesTo"), " ", h("span", {}, selected.url)),
    !log.available ? h("div", { class: "notice bad" }, t("webhooks.logUnavailable", log.problem)) : null,
    h("div", { class: "filters" }, t("webhooks.statusFilter"), " ",
      h("select", { onchange: e => setFilter({ deliveryStatus: e.target.value, deliveryCursor: null }) },
        ["", "pending", "succeeded", "failed"].map(v => h("option", { value: v, selected: (filter.deliveryStatus || "") === v }, word("state", v || "all")))),
      filter.deliveryCursor ? h("button", { onclick: () => setFilter({ deliveryCursor: null }) }, t("button.newest")) : null,
      log.nextCursor ? h("button", { onclick: () => setFilter({ deliveryCursor: log.nextCursor }) }, t("button.older")) : null),
    table([
      { title: t("col.created"), key: "createdAt", value: d => fmtTime(d.createdAt) },
      { title: t("col.eventType"), key: "eventType", value: d => d.eventType },
      { title: t("col.status"), key: "status", value: d => badge(word("state", d.status), webhookStatusKind(d.status)) },
      { title: t("col.attempts"), key: "attemptCount", value: d => fmtNumber(d.attemptCount), num: true },
      { title: t("col.lastCode"), key: "lastStatusCode", value: d => d.lastStatusCode ?? "", num: true },
      { title: t("col.lastError"), key: "lastError", value: d => h("span", { class: "muted" }, d.lastError || "") },
      { title: t("col.lastAttempt"), key: "lastAttemptAt", value: d => fmtTime(d.lastAttemptAt) },
      { title: t("col.nextAttempt"), key: "nextAttemptAt", value: d => fmtTime(d.nextAttemptAt) },
      { title: "", key: "actions", value: d => h("span", {},
          h("button", { onclick: e => { e.stopPropagation(); state.selected.delivery = d.id; state.deliveryPanel = null; refresh(); } }, t("button.details")),
          d.status === "failed" ? [" ", h("button", { class: "primary", onclick: e => { e.stopPropagation(); redeliver(selected, d); } }, t("button.redeliver"))] : null) },
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
    live.textContent = t("live.ok");
  } catch (e) {
    live.classList.add("stale");
    live.textContent = t("live.failed", e.message);
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
document.querySelectorAll("#language button").forEach(b => b.addEventListener("click", () => chooseLanguage(b.dataset.lang)));
// The words and the links first: the views' first render already has them.
loadText().then(loadLinks).finally(show);
