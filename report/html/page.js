// page.js draws a concbench page's charts from the JSON beside it, makes
// its tables sortable and shows any cell's samples. It fetches nothing.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  // Okabe and Ito's colour-blind-safe palette, then darker variants.
  const palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#004C7A", "#9C6B00", "#006B4E", "#8C4F72", "#2E7FA8", "#8F3F00", "#A89E2E", "#666666"];
  const colour = (key) => key === "latency floor" ? "#777777" : palette[Math.max(0, data.keys.indexOf(key)) % palette.length];

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    const t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function fmt(v) {
    if (!isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a >= 1e6) return Number((v / 1e6).toPrecision(3)) + "M";
    if (a >= 1e4) return Number((v / 1e3).toPrecision(3)) + "k";
    return String(Number(v.toPrecision(3)));
  }

  // A scale maps [lo, hi] onto [a, b], on a log axis when log.
  function scale(lo, hi, a, b, log) {
    const f = log ? Math.log : (v) => v;
    const l = f(lo), h = f(hi) === l ? l + 1 : f(hi);
    return (v) => a + (f(v) - l) / (h - l) * (b - a);
  }
  function extent(values, log) {
    let lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    if (log) { lo = lo / 1.25; hi = hi * 1.25; } else { const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1; lo = Math.max(0, lo - pad); hi += pad; }
    return [lo, hi];
  }
  function ticks(lo, hi, log) {
    const out = [];
    if (log) {
      for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
        for (const m of [1, 2, 5]) { const v = m * Math.pow(10, e); if (v >= lo && v <= hi) out.push(v); }
      }
      if (out.length > 8) return out.filter((v) => /^1/.test(String(v)));
      return out;
    }
    const step = Math.pow(10, Math.floor(Math.log10((hi - lo) / 5 || 1)));
    const s = [1, 2, 5, 10].map((m) => m * step).find((m) => (hi - lo) / m <= 6);
    for (let v = Math.ceil(lo / s) * s; v <= hi + 1e-9; v += s) out.push(Number(v.toPrecision(6)));
    return out;
  }

  const tip = document.createElement("div");
  tip.id = "tip";
  tip.hidden = true;
  document.body.appendChild(tip);
  function hover(node, s) {
    el("title", {}, node).textContent = s;
    node.addEventListener("mouseenter", (ev) => { tip.textContent = s; tip.hidden = false; place(ev); });
    node.addEventListener("mousemove", place);
    node.addEventListener("mouseleave", () => { tip.hidden = true; });
  }
  function place(ev) { tip.style.left = (ev.clientX + 12) + "px"; tip.style.top = (ev.clientY + 12) + "px"; }

  // point draws one value with its whisker; a hollow dot is not a member
  // of the verdict's set.
  function point(g, x, y, x0, y0, x1, y1, p, key, hollow) {
    const c = colour(key);
    if (x0 !== x1 || y0 !== y1) el("line", { x1: x0, y1: y0, x2: x1, y2: y1, stroke: c, "stroke-width": 1.5 }, g);
    const dot = el("circle", { cx: x, cy: y, r: 4.5, stroke: c, "stroke-width": 1.5, fill: hollow ? "#fff" : c, class: "point", "data-key": key }, g);
    hover(dot, p.text);
    if (p.cell) { dot.style.cursor = "pointer"; dot.addEventListener("click", () => showSamples(p.cell)); }
  }

  function drawRows(svg, ch, hidden) {
    const panel = ch.panels[0];
    const nseries = panel.series.filter((s) => !hidden.has(s.key)).length;
    const left = 12 + 7 * Math.max.apply(null, panel.rows.map((r) => r.length)), top = 10, rowH = Math.max(24, 8 + 7 * nseries), w = 860;
    const h = top + rowH * panel.rows.length + 40;
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("width", w);
    const all = [];
    for (const s of panel.series) for (const p of s.points) all.push(p.lo, p.hi, p.x);
    for (const r of ch.refs || []) all.push(r);
    const [lo, hi] = extent(all, ch.logX);
    const x = scale(lo, hi, left, w - 16, ch.logX);
    const bottom = top + rowH * panel.rows.length;
    for (const t of ticks(lo, hi, ch.logX)) {
      el("line", { x1: x(t), x2: x(t), y1: top, y2: bottom, class: "grid" }, svg);
      text(svg, x(t), bottom + 14, fmt(t), { "text-anchor": "middle" });
    }
    text(svg, (left + w) / 2, bottom + 32, ch.x, { "text-anchor": "middle" });
    panel.rows.forEach((r, i) => {
      const y = top + rowH * (i + 0.5);
      el("line", { x1: left, x2: w - 16, y1: y, y2: y, class: "grid" }, svg);
      text(svg, left - 6, y + 4, r, { "text-anchor": "end" });
    });
    (ch.refs || []).forEach((r, i) => el("line", { x1: x(r), x2: x(r), y1: top, y2: bottom, class: "ref" + (i ? " dashed" : "") }, svg));
    const visible = panel.series.filter((s) => !hidden.has(s.key));
    visible.forEach((s, k) => {
      const g = el("g", { "data-key": s.key }, svg);
      const dy = visible.length > 1 ? (k / (visible.length - 1) - 0.5) * (rowH - 8) : 0;
      for (const p of s.points) {
        const y = top + rowH * (p.row + 0.5) + dy;
        point(g, x(p.x), y, x(p.lo), y, x(p.hi), y, p, s.key, ch.marks && !p.mark);
      }
    });
  }

  function drawLines(svg, ch, hidden) {
    const cols = Math.min(ch.panels.length, 2), pw = cols === 1 ? 780 : 390, ph = 250, ml = 56, mb = 40, mt = 22;
    const rows = Math.ceil(ch.panels.length / cols);
    const w = cols * (pw + ml + 16), h = rows * (ph + mb + mt);
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("width", w);
    ch.panels.forEach((panel, n) => {
      const ox = (n % cols) * (pw + ml + 16) + ml, oy = Math.floor(n / cols) * (ph + mb + mt) + mt;
      const xs = [], ys = [];
      // A dashed series (the latency floor) is clipped to the data's range
      // rather than stretching the axis.
      for (const s of panel.series) for (const p of s.points) { xs.push(p.x); if (!s.dashed) ys.push(p.lo, p.hi); }
      if (!ys.length) for (const s of panel.series) for (const p of s.points) ys.push(p.lo, p.hi);
      if (ch.ideal) for (const v of xs) ys.push(Math.min(v, data.cores));
      const [xlo, xhi] = extent(xs, ch.logX), [ylo, yhi] = extent(ys, ch.logY);
      const x = scale(xlo, xhi, ox, ox + pw, ch.logX), y = scale(ylo, yhi, oy + ph, oy, ch.logY);
      if (panel.title) text(svg, ox + pw / 2, oy - 8, panel.title, { "text-anchor": "middle", "font-weight": "600" });
      // The x ticks are the measured settings themselves: no position is nudged.
      for (const t of Array.from(new Set(xs)).sort((a, b) => a - b)) { el("line", { x1: x(t), x2: x(t), y1: oy, y2: oy + ph, class: "grid" }, svg); text(svg, x(t), oy + ph + 14, fmt(t), { "text-anchor": "middle" }); }
      for (const t of ticks(ylo, yhi, ch.logY)) { el("line", { x1: ox, x2: ox + pw, y1: y(t), y2: y(t), class: "grid" }, svg); text(svg, ox - 5, y(t) + 4, fmt(t), { "text-anchor": "end" }); }
      el("rect", { x: ox, y: oy, width: pw, height: ph, fill: "none", class: "axis" }, svg);
      const clip = "clip-" + ch.name + "-" + n;
      el("rect", { x: ox, y: oy, width: pw, height: ph }, el("clipPath", { id: clip }, svg));
      text(svg, ox + pw / 2, oy + ph + 32, ch.x, { "text-anchor": "middle" });
      if (n % cols === 0) text(svg, ox - 44, oy + ph / 2, ch.y, { "text-anchor": "middle", transform: "rotate(-90 " + (ox - 44) + " " + (oy + ph / 2) + ")" });
      if (ch.ideal) {
        const vs = Array.from(new Set(xs)).sort((a, b) => a - b);
        el("polyline", { points: vs.map((v) => x(v) + "," + y(Math.min(v, data.cores))).join(" "), class: "ideal" }, svg);
      }
      for (const s of panel.series) {
        if (hidden.has(s.key)) continue;
        const g = el("g", { "data-key": s.key, "clip-path": "url(#" + clip + ")" }, svg);
        const c = colour(s.key);
        el("polyline", { points: s.points.map((p) => x(p.x) + "," + y(p.y)).join(" "), fill: "none", stroke: c, "stroke-width": 1.8, "stroke-dasharray": s.dashed ? "5 4" : "none" }, g);
        for (const p of s.points) point(g, x(p.x), y(p.y), x(p.x), y(p.lo), x(p.x), y(p.hi), p, s.key, false);
      }
    });
  }

  function drawChart(ch) {
    const box = document.createElement("div");
    box.className = "chart";
    box.id = "chart-" + ch.name;
    box.dataset.chart = ch.name;
    const h = document.createElement("h3");
    h.textContent = ch.title;
    box.appendChild(h);
    const legend = document.createElement("div");
    legend.className = "legend";
    box.appendChild(legend);
    const svg = el("svg", { role: "img", "aria-label": ch.title });
    box.appendChild(svg);
    const cap = document.createElement("p");
    cap.className = "caption";
    cap.textContent = ch.caption;
    box.appendChild(cap);
    const foot = document.querySelector("header .footer");
    if (foot) { const f = document.createElement("p"); f.className = "footer"; f.textContent = foot.textContent; box.appendChild(f); }
    const hidden = new Set();
    const redraw = () => { while (svg.firstChild) svg.removeChild(svg.firstChild); (ch.kind === "rows" ? drawRows : drawLines)(svg, ch, hidden); };
    const keys = [];
    for (const p of ch.panels) for (const s of p.series) if (!keys.includes(s.key)) keys.push(s.key);
    keys.sort((a, b) => data.keys.indexOf(a) - data.keys.indexOf(b));
    for (const k of keys) {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.key = k;
      b.setAttribute("aria-pressed", "true");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = colour(k);
      b.appendChild(sw);
      b.appendChild(document.createTextNode(k));
      b.addEventListener("click", () => {
        if (hidden.has(k)) hidden.delete(k); else hidden.add(k);
        b.setAttribute("aria-pressed", String(!hidden.has(k)));
        redraw();
      });
      legend.appendChild(b);
    }
    redraw();
    return box;
  }

  const list = document.getElementById("chart-list");
  if (list) for (const ch of data.charts) list.appendChild(drawChart(ch));

  // Sortable tables: by data-sort where the whole column has it.
  for (const table of document.querySelectorAll("table.sortable")) {
    const ths = table.querySelectorAll("thead th");
    ths.forEach((th, col) => {
      const sort = () => {
        const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        ths.forEach((o) => o.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const numeric = rows.every((r) => !r.cells[col] || r.cells[col].dataset.sort !== undefined || r.cells[col].textContent === "–");
        const keyOf = (r) => {
          const c = r.cells[col];
          if (!c) return numeric ? -Infinity : "";
          if (numeric) return c.dataset.sort === undefined ? -Infinity : parseFloat(c.dataset.sort);
          return c.textContent;
        };
        rows.sort((a, b) => {
          const ka = keyOf(a), kb = keyOf(b);
          return dir * (numeric ? (ka - kb) : String(ka).localeCompare(String(kb)));
        });
        for (const r of rows) body.appendChild(r);
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sort(); } });
    });
    table.addEventListener("click", (ev) => {
      const td = ev.target.closest("td[data-cell]");
      if (td && !ev.target.closest("a")) showSamples(parseInt(td.dataset.cell, 10));
    });
  }

  // The sample-level view: every sample of a benchmark in every unit, in
  // the order taken, as values and as a strip plot.
  const panel = document.getElementById("samples");
  function showSamples(i) {
    const c = data.cells[i - 1];
    if (!c || !panel) return;
    document.getElementById("samples-title").textContent = c.name;
    document.getElementById("samples-pos").textContent = "first result at " + c.pos + "; samples in the order taken";
    const body = document.getElementById("samples-body");
    body.textContent = "";
    c.units.forEach((u, k) => {
      const vs = c.values[k];
      const h = document.createElement("p");
      h.className = "unit";
      h.textContent = u + " (" + vs.length + (vs.length === 1 ? " sample)" : " samples)");
      body.appendChild(h);
      if (vs.length > 1) {
        const w = 480, ht = 70;
        const svg = el("svg", { viewBox: "0 0 " + w + " " + ht, width: w, class: "strip" });
        const [lo, hi] = extent(vs, false);
        const y = scale(lo, hi, ht - 14, 6, false), x = scale(0, Math.max(1, vs.length - 1), 40, w - 10, false);
        for (const t of ticks(lo, hi, false)) { el("line", { x1: 40, x2: w - 10, y1: y(t), y2: y(t), class: "grid" }, svg); text(svg, 36, y(t) + 4, fmt(t), { "text-anchor": "end" }); }
        vs.forEach((v, j) => { const d = el("circle", { cx: x(j), cy: y(v), r: 3.5, fill: "#0072B2", class: "sample" }, svg); hover(d, "sample " + (j + 1) + ": " + v + " " + u); });
        body.appendChild(svg);
      }
      const p = document.createElement("p");
      p.className = "values";
      p.textContent = vs.join(", ");
      body.appendChild(p);
    });
    panel.hidden = false;
  }
  const close = document.getElementById("samples-close");
  if (close) close.addEventListener("click", () => { panel.hidden = true; });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && panel) panel.hidden = true; });
  document.documentElement.dataset.ready = "true";
})();
