// The operator dashboard: one page, a view per hash (#resources, #messages, #traces, #trace/ID, #activity, #logs,
// #consortium), each polling its JSON endpoint every 2 seconds. Everything is built with DOM calls (textContent),
// never innerHTML, since message bodies and logs are untrusted text.
"use strict";

const REFRESH_MS = 2000;
const main = document.getElementById("main");
const state = { timer: null, view: null, selected: {}, filters: { traces: {}, logs: { minSeverity: "0" } } };

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

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

const fmtMs = ms => ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms.toFixed(ms < 10 ? 2 : 0) + " ms";
const fmtTime = nano => new Date(nano / 1e6).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const fmtUptime = s => s == null ? "" : s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`;
const badge = (text, kind) => h("span", { class: `badge ${kind || ""}` }, text);
const statusKind = s => ({ healthy: "ok", running: "ok", ready: "ok", degraded: "warn", starting: "warn", restarting: "warn", waiting: "warn" }[s] || (s === "unknown" ? "" : "bad"));

function table(columns, rows, { onRow, selectedKey, testId } = {}) {
  return h("table", { "data-testid": testId },
    h("thead", {}, h("tr", {}, columns.map(c => h("th", { class: c.num ? "num" : "" }, c.title)))),
    h("tbody", {}, rows.length === 0
      ? h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "nothing yet"))
      : rows.map(row => h("tr", {
          class: (onRow ? "clickable " : "") + (selectedKey && selectedKey(row) ? "selected" : ""),
          onclick: onRow ? () => onRow(row) : null,
        }, columns.map(c => h("td", { class: c.num ? "num" : "" }, c.value(row)))))));
}

// ---------- Resources ----------
async function renderResources(root) {
  const report = await getJson("/api/resources");
  const selected = state.selected.resource;
  fill(root, 
    h("h2", {}, "Resources"),
    report.appHostProblem ? h("div", { class: "notice bad" }, report.appHostProblem) : null,
    report.source === "configuration" ? h("div", { class: "notice" }, "Not started by the AppHost: showing the configured services and their readiness only.") : null,
    h("div", { class: "panel" }, table([
      { title: "Resource", value: r => h("strong", {}, r.name) },
      { title: "Kind", value: r => r.kind },
      { title: "State", value: r => badge(r.state, statusKind(r.state)) },
      { title: "Ready", value: r => badge(r.ready ? "ready" : "not ready", r.ready ? "ok" : "bad") },
      { title: "Why", value: r => h("span", { class: "muted" }, r.reason || "") },
      { title: "Uptime", value: r => fmtUptime(r.uptimeSeconds), num: true },
      { title: "Restarts", value: r => r.restarts, num: true },
      { title: "PID", value: r => r.processId ?? "", num: true },
      { title: "URL", value: r => !r.url ? "" : !r.url.startsWith("http") ? r.url
          : h("a", { href: r.url + (r.kind === "service" && r.url !== location.origin ? "/docs" : ""), target: "_blank" }, r.url) },
    ], report.resources, { testId: "resources", onRow: r => { state.selected.resource = r.name; refresh(); }, selectedKey: r => r.name === selected })));
  const chosen = report.resources.find(r => r.name === selected);
  if (!chosen) return;
  const details = h("div", { class: "two" });
  details.appendChild(h("div", { class: "panel" }, h("h2", {}, `Readiness of ${chosen.name}`),
    chosen.checks.length === 0 ? h("div", { class: "muted" }, chosen.reason || "no readiness report")
      : table([
          { title: "Check", value: c => c.name },
          { title: "Status", value: c => badge(c.status, statusKind(c.status)) },
          { title: "Description", value: c => c.description || "" },
        ], chosen.checks)));
  const consolePanel = h("div", { class: "panel" }, h("h2", {}, `Console output of ${chosen.name}`), h("div", { class: "muted" }, "loading…"));
  details.appendChild(consolePanel);
  root.appendChild(details);
  try {
    const lines = await getJson(`/api/resources/${encodeURIComponent(chosen.name)}/console?lines=200`);
    const pre = h("pre", { "data-testid": "console" }, lines.map(l => `${new Date(l.at).toLocaleTimeString()} ${l.text}`).join("\n"));
    consolePanel.replaceChild(pre, consolePanel.lastChild);
    pre.scrollTop = pre.scrollHeight;
  } catch {
    consolePanel.replaceChild(h("div", { class: "muted" }, "Console output is kept by the AppHost; it is not available here."), consolePanel.lastChild);
  }
}

// ---------- Message flow ----------
function operatorKey() {
  let key = sessionStorage.getItem("operatorKey");
  if (!key) {
    key = prompt("Operator key (printed by the AppHost at start, also in .data/endpoints.json):");
    if (key) sessionStorage.setItem("operatorKey", key);
  }
  return key;
}

async function act(action, queue, message) {
  const verb = action === "replay" ? `Replay message ${message.messageId} to ${queue.name.replace(/_error$/, "")}?` : `Discard message ${message.messageId} for good?`;
  if (!confirm(verb)) return;
  const key = operatorKey();
  if (!key) return;
  const response = await fetch(`/api/messaging/errors/${action}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Api-Key": key },
    body: JSON.stringify({ virtualHost: queue.virtualHost, queue: queue.name, messageId: message.messageId }),
  });
  if (response.status === 401) sessionStorage.removeItem("operatorKey");
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
      h("dl", { class: "kv" }, h("dt", {}, "message id"), h("dd", {}, m.messageId), h("dt", {}, "consumer"), h("dd", {}, m.fault.consumerType || ""), h("dt", {}, "failed at"), h("dd", {}, m.fault.timestamp || "")),
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

// ---------- Traces ----------
function serviceSelect(services, value, onchange) {
  return h("select", { onchange: e => onchange(e.target.value), "data-testid": "service-filter" },
    h("option", { value: "" }, "all services"),
    services.map(s => h("option", { value: s, selected: s === value }, s)));
}

function renderTraceFilters(container, services) {
  const f = state.filters.traces;
  container.replaceChildren(
    serviceSelect(services, f.service, v => { f.service = v; refresh(); }),
    h("label", {}, h("input", { type: "checkbox", checked: !!f.errors, onchange: e => { f.errors = e.target.checked; refresh(); }, "data-testid": "errors-filter" }), " errors only"),
    h("label", { title: "Traces that start with neither a request nor a message: health checks' queries, outbox sweeps" },
      h("input", { type: "checkbox", checked: !!f.background, onchange: e => { f.background = e.target.checked; refresh(); } }), " background work"),
    h("input", { type: "number", min: 0, placeholder: "min ms", value: f.minDurationMs || "", style: "width:90px", onchange: e => { f.minDurationMs = e.target.value; refresh(); } }),
    h("input", { type: "search", placeholder: "name or trace id", value: f.text || "", onchange: e => { f.text = e.target.value; refresh(); } }));
}

async function renderTraces(root) {
  const f = state.filters.traces;
  const query = new URLSearchParams({ limit: 100 });
  if (f.service) query.set("service", f.service);
  if (f.errors) query.set("errors", "true");
  if (!f.background) query.set("background", "false");
  if (f.minDurationMs) query.set("minDurationMs", f.minDurationMs);
  if (f.text) query.set("text", f.text);
  const [overview, traces] = await Promise.all([getJson("/api/telemetry/overview"), getJson(`/api/telemetry/traces?${query}`)]);
  if (!root.querySelector(".filters")) fill(root, h("h2", {}, "Traces"), h("div", { class: "filters" }), h("div", { class: "panel" }));
  const filters = root.querySelector(".filters");
  if (!filters.hasChildNodes()) renderTraceFilters(filters, overview.services);
  root.querySelector(".panel").replaceChildren(
    h("div", { class: "muted" }, `${overview.spans.toLocaleString()} of at most ${overview.maxSpans.toLocaleString()} spans kept (${overview.spansDropped.toLocaleString()} oldest dropped), ${overview.traces.toLocaleString()} traces`),
    table([
      { title: "Started", value: t => fmtTime(t.startUnixNano) },
      { title: "Root", value: t => h("span", {}, h("strong", {}, t.rootService), " ", t.rootName) },
      { title: "Services", value: t => t.services.map(s => h("span", { class: "badge", style: `border-left: 4px solid ${Charts.colorOf(s)}` }, s)) },
      { title: "Spans", value: t => t.spanCount, num: true },
      { title: "Duration", value: t => fmtMs(t.durationMs), num: true },
      { title: "", value: t => t.hasError ? badge("error", "bad") : "" },
    ], traces, { testId: "traces", onRow: t => { location.hash = `#trace/${t.traceId}`; } }));
}

async function renderTrace(root, traceId) {
  const response = await fetch(`/api/telemetry/traces/${encodeURIComponent(traceId)}`);
  if (response.status === 404) { fill(root, h("h2", {}, "Trace"), h("div", { class: "notice" }, `Trace ${traceId} is not (or no longer) kept.`)); return; }
  const trace = await response.json();
  const selected = state.selected.span;
  const rows = trace.spans.map(s => {
    const left = trace.durationMs > 0 ? (s.offsetMs / trace.durationMs) * 100 : 0;
    const width = trace.durationMs > 0 ? (s.durationMs / trace.durationMs) * 100 : 100;
    return h("div", { class: "row", "data-span": s.spanId, "data-service": s.service, onclick: () => { state.selected.span = s.spanId; refresh(); } },
      h("div", { class: "name", style: `padding-left:${s.depth * 14}px`, title: `${s.service}: ${s.name}` },
        h("i", { style: `display:inline-block;width:8px;height:8px;border-radius:2px;margin-right:4px;background:${Charts.colorOf(s.service)}` }),
        h("strong", {}, s.service), " ", s.name, " ", h("span", { class: "muted" }, s.kind.toLowerCase())),
      h("div", { class: "track" }, h("div", { class: `bar ${s.isError ? "error" : ""}`, style: `left:${left}%;width:${Math.max(width, 0.3)}%;background:${Charts.colorOf(s.service)}` })),
      h("div", { class: "muted", style: "text-align:right" }, fmtMs(s.durationMs)));
  });
  const chosen = trace.spans.find(s => s.spanId === selected);
  fill(root, 
    h("h2", {}, h("a", { href: "#traces" }, "Traces"), ` › ${trace.traceId}`),
    h("div", { class: "panel" },
      h("div", { class: "legend" }, trace.services.map(s => h("span", {}, h("i", { style: `background:${Charts.colorOf(s)}` }), s)),
        h("span", { class: "muted" }, `${trace.spans.length} spans, ${fmtMs(trace.durationMs)}`),
        h("a", { href: "#logs", onclick: () => { state.filters.logs = { traceId: trace.traceId, minSeverity: "0" }; } }, "logs of this trace")),
      h("div", { class: "waterfall", "data-testid": "waterfall" }, rows)),
    chosen ? h("div", { class: "panel" }, h("h2", {}, `${chosen.service}: ${chosen.name}`),
      chosen.statusMessage ? h("div", { class: "notice bad" }, chosen.statusMessage) : null,
      h("dl", { class: "kv" }, Object.entries(chosen.attributes).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      chosen.events.length ? h("pre", {}, chosen.events.map(e => `${e.name} ${e.attributes.map(a => `${a.key}=${a.value}`).join(" ")}`).join("\n")) : null) : null);
}

// ---------- Requests & metrics ----------
function seriesOf(report) {
  return report.series.map(s => ({ name: s.service, points: s.counts.map((c, i) => [report.fromUnixMs + (i + 1) * report.bucketSeconds * 1000, c * 60 / report.bucketSeconds]) }));
}

async function renderActivity(root) {
  const [endpoints, consumers, metrics] = await Promise.all([getJson("/api/telemetry/endpoints?minutes=10"), getJson("/api/telemetry/consumers?minutes=10"), getJson("/api/telemetry/metrics")]);
  const statsColumns = [
    { title: "Service", value: o => o.service },
    { title: "Operation", value: o => o.operation },
    { title: "Count", value: o => o.count, num: true },
    { title: "Per min", value: o => o.perMinute, num: true },
    { title: "Errors", value: o => o.errors ? badge(String(o.errors), "bad") : "0", num: true },
    { title: "p50", value: o => fmtMs(o.p50Ms), num: true },
    { title: "p95", value: o => fmtMs(o.p95Ms), num: true },
    { title: "p99", value: o => fmtMs(o.p99Ms), num: true },
  ];
  const legend = report => h("div", { class: "legend" }, report.series.map(s => h("span", {}, h("i", { style: `background:${Charts.colorOf(s.service)}` }), s.service)));
  const chosen = state.selected.metric;
  fill(root, 
    h("h2", {}, "Requests and consumers (last 10 minutes)"),
    h("div", { class: "two" },
      h("div", { class: "panel" }, h("h2", {}, "HTTP requests per minute"), legend(endpoints), Charts.timeSeries(seriesOf(endpoints), { unit: "/min" })),
      h("div", { class: "panel" }, h("h2", {}, "Messages consumed per minute"), legend(consumers), Charts.timeSeries(seriesOf(consumers), { unit: "/min" }))),
    h("div", { class: "panel" }, h("h2", {}, "Endpoints: rate and latency percentiles"), table(statsColumns, endpoints.operations, { testId: "endpoints" })),
    h("div", { class: "panel" }, h("h2", {}, "Consumers: throughput and latency"), table(statsColumns, consumers.operations, { testId: "consumers" })));
  const names = [...new Map(metrics.map(m => [`${m.service}|${m.name}`, m])).values()];
  const metricPanel = h("div", { class: "panel" }, h("h2", {}, "Metrics"),
    h("div", { class: "filters" }, h("select", { "data-testid": "metric-select", onchange: e => { state.selected.metric = e.target.value; refresh(); } },
      h("option", { value: "" }, `choose one of ${names.length} metrics`),
      names.map(m => h("option", { value: `${m.service}|${m.name}`, selected: chosen === `${m.service}|${m.name}` }, `${m.service} · ${m.name}${m.unit ? ` (${m.unit})` : ""}`)))));
  root.appendChild(metricPanel);
  if (chosen) {
    const [service, name] = chosen.split("|");
    const series = await getJson(`/api/telemetry/metrics/points?service=${encodeURIComponent(service)}&name=${encodeURIComponent(name)}`);
    metricPanel.appendChild(Charts.timeSeries(series.slice(0, 8).map(s => ({ name: s.attributes || name, points: s.points })), { width: 1240, height: 220, unit: series[0]?.unit ? ` ${series[0].unit}` : "" }));
    metricPanel.appendChild(h("div", { class: "legend" }, series.slice(0, 8).map(s => h("span", {}, h("i", { style: `background:${Charts.colorOf(s.attributes || name)}` }), `${s.attributes || "(no attributes)"} · ${s.kind}${s.kind === "histogram" ? " mean" : ""}`))));
  }
}

// ---------- Logs ----------
async function renderLogs(root) {
  const f = state.filters.logs;
  const query = new URLSearchParams({ limit: 300, minSeverity: f.minSeverity || "0" });
  for (const k of ["service", "text", "traceId"]) if (f[k]) query.set(k, f[k]);
  const [overview, logs] = await Promise.all([getJson("/api/telemetry/overview"), getJson(`/api/telemetry/logs?${query}`)]);
  if (!root.querySelector(".filters")) {
    fill(root, h("h2", {}, "Structured logs"), h("div", { class: "filters" },
      serviceSelect(overview.services, f.service, v => { f.service = v; refresh(); }),
      h("select", { "data-testid": "level-filter", onchange: e => { f.minSeverity = e.target.value; refresh(); } },
        [["0", "all levels"], ["5", "debug and above"], ["9", "information and above"], ["13", "warnings and errors"], ["17", "errors only"]]
          .map(([v, t]) => h("option", { value: v, selected: v === f.minSeverity }, t))),
      h("input", { type: "search", placeholder: "text", value: f.text || "", "data-testid": "text-filter", onchange: e => { f.text = e.target.value; refresh(); } }),
      h("input", { type: "search", placeholder: "trace id", value: f.traceId || "", style: "width:280px", onchange: e => { f.traceId = e.target.value; refresh(); } })),
      h("div", { class: "panel" }));
  }
  root.querySelector(".panel").replaceChildren(table([
    { title: "Time", value: l => fmtTime(l.timeUnixNano) },
    { title: "Service", value: l => l.service },
    { title: "Level", value: l => badge(l.severity, l.severityNumber >= 17 ? "bad" : l.severityNumber >= 13 ? "warn" : "") },
    { title: "Category", value: l => h("span", { class: "muted" }, l.category) },
    { title: "Message", value: l => l.body },
    { title: "Trace", value: l => l.traceId ? h("a", { href: `#trace/${l.traceId}` }, l.traceId.slice(0, 8)) : "" },
  ], logs, { testId: "logs" }));
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
const views = { resources: renderResources, messages: renderMessages, traces: renderTraces, activity: renderActivity, logs: renderLogs, consortium: renderConsortium };

async function refresh() {
  const [name, arg] = (location.hash.slice(1) || "resources").split("/");
  const live = document.getElementById("live");
  try {
    if (name === "trace") await renderTrace(main, arg);
    else await (views[name] || renderResources)(main);
    live.classList.remove("stale");
    live.textContent = "● live";
  } catch (e) {
    live.classList.add("stale");
    live.textContent = `● ${e.message}`;
  }
}

function show() {
  const [name] = (location.hash.slice(1) || "resources").split("/");
  document.querySelectorAll("#nav a").forEach(a => a.classList.toggle("active", a.dataset.view === name || (name === "trace" && a.dataset.view === "traces")));
  if (state.view !== location.hash) { main.replaceChildren(); state.notice = null; state.errorPanel = null; state.view = location.hash; }
  clearInterval(state.timer);
  refresh();
  state.timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
}

window.addEventListener("hashchange", show);
show();
