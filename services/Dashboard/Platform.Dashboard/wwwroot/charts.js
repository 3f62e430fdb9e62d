// Small hand-written SVG charts: horizontal bars. No external library, no CDN.
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

  return { bars, colorOf };
})();
