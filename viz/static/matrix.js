/* The explorer's Matrix tab: the evidence matrix (GET matrix?rows=&cols=) as a heat map shaded
   by independent evidence bases; clicking a cell lists its CMOCs with their evidence items in
   the side panel. Text goes in with textContent only; nothing is fetched from elsewhere. */
(function () {
  "use strict";
  var tab = document.getElementById("cw-matrix-tab");
  var box = document.getElementById("cw-matrix");
  var form = document.getElementById("cw-matrix-form");
  var network = document.getElementById("cw-network");
  var details = document.getElementById("cw-details");
  if (!tab || !box || !form) return;
  // Light to dark by bases (1, 2, 3+), as in `causal-web figure --matrix`.
  var SHADES = ["#deebf7", "#9ecae1", "#4292c6"];
  var CONTESTED = "#e66101";
  var current = null;

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function show(on) {
    box.hidden = !on;
    if (network) network.hidden = on;
    if (on && !current) load();
    if (!on) window.dispatchEvent(new Event("resize"));  // the drawing gets its size back
  }

  Array.prototype.forEach.call(document.querySelectorAll(".cw-tab"), function (button) {
    button.addEventListener("click", function () { show(button === tab); });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load();
  });

  function load() {
    var rows = form.elements.rows.value;
    var cols = form.elements.cols.value;
    box.textContent = "Loading the matrix…";
    var url = "matrix?rows=" + encodeURIComponent(rows) + "&cols=" + encodeURIComponent(cols);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.detail || r.statusText);
          return body;
        });
      })
      .then(function (body) { current = body; draw(body); })
      .catch(function (error) { box.textContent = "The matrix could not be loaded: " + error.message; });
  }

  function draw(matrix) {
    box.textContent = "";
    box.appendChild(el("h2", { class: "cw-matrix-title" }, "Evidence matrix: " + matrix.rows + " by " + matrix.cols));
    var lookup = {};
    matrix.cells.forEach(function (cell) { lookup[cell.row + "\u0000" + cell.col] = cell; });
    var table = el("table", { class: "cw-matrix-table" });
    table.style.borderCollapse = "collapse";
    var head = el("tr");
    head.appendChild(el("th"));
    matrix.col_values.forEach(function (col) { head.appendChild(el("th", { scope: "col" }, col.label)); });
    table.appendChild(head);
    matrix.row_values.forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, row.label));
      matrix.col_values.forEach(function (col) {
        var cell = lookup[row.id + "\u0000" + col.id];
        var td = el("td", { "data-row": row.id, "data-col": col.id });
        td.style.border = "1px solid #d0d0d0";
        td.style.minWidth = "2.2em";
        td.style.textAlign = "center";
        if (cell) {
          td.className = "cw-matrix-cell cw-status-" + cell.evidence_status;
          td.textContent = String(cell.cmocs.length);
          td.title = cell.cmocs.join(", ") + " — " + cell.explanation;
          td.style.background = SHADES[Math.min(cell.evidence_bases, SHADES.length) - 1] || "#ffffff";
          td.style.cursor = "pointer";
          if (cell.evidence_status === "contested") td.style.outline = "3px solid " + CONTESTED;
          td.tabIndex = 0;
          td.addEventListener("click", function () { open(matrix, cell, row, col); });
          td.addEventListener("keydown", function (e) { if (e.key === "Enter") open(matrix, cell, row, col); });
        }
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    box.appendChild(table);
    box.appendChild(el("p", { class: "cw-note" },
      "A cell counts the CMOCs with both values; its shade is the number of independent evidence bases " +
      "(light: 1, dark: 3 or more); an orange outline marks a contested cell. Click a cell for its CMOCs."));
  }

  function open(matrix, cell, row, col) {
    if (!details) return;
    details.textContent = "";
    var section = el("section", { class: "cw-matrix-selection", "data-row": cell.row, "data-col": cell.col });
    section.appendChild(el("h2", {}, row.label + " × " + col.label));
    section.appendChild(el("p", { class: "cw-matrix-status" },
      cell.evidence_status + ", " + cell.evidence_bases + " independent base(s): " + cell.explanation));
    var list = el("ul", { class: "cw-records" });
    cell.cmocs.forEach(function (id) {
      var item = el("li", { class: "cw-record", "data-record": id });
      var link = el("a", { href: "cmocs/" + encodeURIComponent(id) }, id);
      item.appendChild(link);
      var evidence = el("ul", { class: "cw-evidence" });
      item.appendChild(evidence);
      list.appendChild(item);
      fetch("cmocs/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (cmoc) {
          if (cmoc.title) link.after(document.createTextNode(" " + cmoc.title));
          (cmoc.evidence || []).forEach(function (e) {
            var where = [e.table, e.row ? "row " + e.row : "", e.section].filter(Boolean).join(", ");
            evidence.appendChild(el("li", { class: "cw-evidence-item" },
              e.source + (where ? " (" + where + ")" : "") + ": " + e.judgement));
          });
        })
        .catch(function () { /* the IDs are shown; the evidence is extra */ });
    });
    section.appendChild(list);
    details.appendChild(section);
  }
})();
