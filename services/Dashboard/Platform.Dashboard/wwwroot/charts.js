// Small hand-written SVG charts: time series (lines) and horizontal bars. No external library, no CDN.
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const palette = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#0a7ea4", "#bf3989", "#57606a"];
  const colorOf = (() => { const known = new Map(); return key => { if (!known.has(key)) known.set(key, palette[known.size % palette.length]); return known.get(key); }; })();

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function niceMax(value) {
    if (value <= 0) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
    return 10 * power;
  }

  function format(value) {
    if (Math.abs(value) >= 1e6) return (value / 1e6).toFixed(1) + "M";
    if (Math.abs(value) >= 1e3) return (value / 1e3).toFixed(1) + "k";
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }

  // series: [{ name, points: [[xMs, y], ...] }]; x is time in ms.
  function timeSeries(series, { width = 640, height = 180, unit = "" } = {}) {
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "data-chart": "timeseries" });
    const pad = { left: 44, right: 30, top: 8, bottom: 20 };
    const all = series.flatMap(s => s.points);
    if (all.length === 0) { svg.appendChild(el("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, "no data yet")); return svg; }
    const xMin = Math.min(...all.map(p => p[0])), xMax = Math.max(...all.map(p => p[0]));
    const yMax = niceMax(Math.max(...all.map(p => p[1])));
    const x = v => pad.left + (xMax === xMin ? 0.5 : (v - xMin) / (xMax - xMin)) * (width - pad.left - pad.right);
    const y = v => height - pad.bottom - (v / yMax) * (height - pad.top - pad.bottom);
    for (let i = 0; i <= 4; i++) {
      const v = yMax * i / 4;
      svg.appendChild(el("line", { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), stroke: "#eaeef2" }));
      svg.appendChild(el("text", { x: pad.left - 4, y: y(v) + 4, "text-anchor": "end" }, format(v) + (i === 4 ? unit : "")));
    }
    for (const [t, anchor] of [[xMin, "start"], [(xMin + xMax) / 2, "middle"], [xMax, "end"]]) {
      svg.appendChild(el("text", { x: x(t), y: height - 4, "text-anchor": anchor }, new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })));
    }
    for (const s of series) {
      if (s.points.length === 0) continue;
      const d = s.points.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join("");
      const path = el("path", { d, fill: "none", stroke: colorOf(s.name), "stroke-width": 2 });
      path.appendChild(el("title", {}, s.name));
      svg.appendChild(path);
    }
    return svg;
  }

  // items: [{ label, value, color? }]
  function bars(items, { width = 520, unit = "" } = {}) {
    const rowHeight = 22, labelWidth = 200;
    const height = Math.max(rowHeight, items.length * rowHeight) + 4;
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "data-chart": "bars" });
    const max = niceMax(Math.max(0, ...items.map(i => i.value)));
    items.forEach((item, i) => {
      const top = i * rowHeight + 2;
      const label = item.label.length > 30 ? item.label.slice(0, 29) + "…" : item.label;
      svg.appendChild(el("text", { x: labelWidth - 6, y: top + 14, "text-anchor": "end" }, label));
      const w = Math.max(item.value > 0 ? 2 : 0, (item.value / max) * (width - labelWidth - 60));
      const rect = el("rect", { x: labelWidth, y: top + 3, width: w, height: rowHeight - 8, rx: 3, fill: item.color || colorOf(item.label), "data-label": item.label, "data-value": item.value });
      rect.appendChild(el("title", {}, `${item.label}: ${item.value}${unit}`));
      svg.appendChild(rect);
      svg.appendChild(el("text", { x: labelWidth + w + 4, y: top + 14 }, format(item.value) + unit));
    });
    return svg;
  }

  return { timeSeries, bars, colorOf };
})();
