/* The explorer's Diagnostic tab: the derived readiness diagnostic as a form, scored by the API,
   with a report that links each finding to its evidence in the web. Text goes in with
   textContent only; charts are SVG built element by element. Nothing is fetched from elsewhere. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var tab = document.getElementById("cw-diagnostic-tab");
  var panel = document.getElementById("cw-diagnostic");
  var layout = document.querySelector(".cw-layout");
  if (!tab || !panel) return;
  var instrument = null;

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function show(on) {
    if (!on && panel.hidden) return;  // another tab, and this one was not showing: leave the page alone
    panel.hidden = !on;
    if (layout) layout.hidden = on;
    tab.setAttribute("aria-pressed", on ? "true" : "false");
    if (on && !instrument) load();
    if (!on) window.dispatchEvent(new Event("resize"));  // the drawing gets its size back
  }

  Array.prototype.forEach.call(document.querySelectorAll(".cw-tab"), function (button) {
    button.addEventListener("click", function () { show(button === tab); });
  });

  function status(text, isError) {
    var box = document.getElementById("cw-diag-status");
    box.textContent = text || "";
    box.className = "cw-diag-status" + (isError ? " cw-error" : "");
  }

  function load() {
    fetch("diagnostic", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (body) { instrument = body; renderForm(body); })
      .catch(function (error) { panel.textContent = "The diagnostic could not be loaded: " + error.message; });
  }

  function renderForm(body) {
    panel.textContent = "";
    var head = el("section", { class: "cw-diag-notice", id: "cw-diag-instrument" });
    head.appendChild(el("strong", {}, "Instrument in use: " + body.instrument.label));
    head.appendChild(el("p", {}, body.instrument.notice));
    panel.appendChild(head);
    var form = el("form", { id: "cw-diag-form", class: "cw-diag-form", autocomplete: "off" });
    var labels = body.instrument.scale.labels;
    body.mechanisms.forEach(function (mechanism) {
      var items = body.items.filter(function (item) { return item.mechanism === mechanism.id; });
      if (!items.length) return;
      var set = el("fieldset", { class: "cw-diag-group", "data-mechanism": mechanism.id });
      set.appendChild(el("legend", {}, mechanism.label + " (" + mechanism.group.replace(/-/g, " ") + ")"));
      items.forEach(function (item) {
        var row = el("div", { class: "cw-diag-item", "data-item": item.id });
        row.appendChild(el("span", { class: "cw-diag-text" }, item.id + ". " + item.text));
        var choices = el("span", { class: "cw-diag-choices", role: "radiogroup", "aria-label": item.id });
        for (var value = body.instrument.scale.min; value <= body.instrument.scale.max; value++) {
          var id = "cw-diag-" + item.id + "-" + value;
          var input = el("input", { type: "radio", name: item.id, value: String(value), id: id });
          var label = el("label", { for: id, title: labels[value - 1] || "" }, value);
          choices.appendChild(input);
          choices.appendChild(label);
        }
        row.appendChild(choices);
        row.appendChild(el("span", { class: "cw-diag-cites" }, item.cmocs.join(", ")));
        set.appendChild(row);
      });
      form.appendChild(set);
    });
    var buttons = el("div", { class: "cw-diag-buttons" });
    buttons.appendChild(el("button", { type: "submit", id: "cw-diag-score", class: "cw-primary" }, "Score"));
    var print = el("button", { type: "button", id: "cw-diag-print" }, "Print report");
    print.addEventListener("click", function () { window.print(); });
    buttons.appendChild(print);
    form.appendChild(buttons);
    form.appendChild(el("div", { id: "cw-diag-status", class: "cw-diag-status", role: "status", "aria-live": "polite" }));
    form.addEventListener("submit", function (event) { event.preventDefault(); score(form); });
    panel.appendChild(form);
    panel.appendChild(el("section", { id: "cw-diag-report", class: "cw-diag-report", "aria-label": "Report" }));
  }

  function score(form) {
    var answers = {};
    instrument.items.forEach(function (item) {
      var picked = form.querySelector("input[name='" + item.id + "']:checked");
      if (picked) answers[item.id] = Number(picked.value);
    });
    status("Scoring…");
    fetch("diagnostic/score", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ answers: answers }),
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (reply) {
      if (!reply.ok) { status(reply.body.detail || "The answers could not be scored.", true); return; }
      status("");
      renderReport(reply.body);
    }).catch(function (error) { status(error.message, true); });
  }

  function chart(domain, mechanisms, threshold) {
    var rows = mechanisms.filter(function (m) { return domain.mechanisms.indexOf(m.id) >= 0; });
    var width = 460, left = 160, barH = 18, gap = 8, step = (width - left - 10) / 4;
    var height = 30 + rows.length * (barH + gap) + 20;
    var x = function (v) { return left + (v - 1) * step; };
    var root = svg("svg", { width: width, height: height, role: "img", class: "cw-diag-chart",
      "aria-label": domain.label + ": level " + domain.level });
    root.appendChild(svg("text", { x: 0, y: 14, "font-weight": 600, "font-size": 13 },
      domain.label + ": " + fmt(domain.score) + " (level " + domain.level + ", " + domain.level_label + ")"));
    rows.forEach(function (row, i) {
      var y = 28 + i * (barH + gap), value = row.score === null ? 1 : row.score;
      root.appendChild(svg("text", { x: 0, y: y + 13, "font-size": 12 }, row.label));
      var bar = svg("rect", { x: left, y: y, width: (x(value) - left).toFixed(1), height: barH,
        fill: row.at_risk ? "#b2182b" : "#2b6a99", "data-mechanism": row.id });
      bar.appendChild(svg("title", {}, row.label + ": " + fmt(row.score)));
      root.appendChild(bar);
      root.appendChild(svg("text", { x: (x(value) + 4).toFixed(1), y: y + 13, "font-size": 12 }, fmt(row.score)));
    });
    var axis = 28 + rows.length * (barH + gap);
    for (var t = 1; t <= 5; t++) root.appendChild(svg("text", { x: (x(t) - 3).toFixed(1), y: axis + 12, "font-size": 11 }, t));
    root.appendChild(svg("line", { x1: x(threshold), y1: 22, x2: x(threshold), y2: axis, stroke: "#8b0f20",
      "stroke-dasharray": "3,3" }));
    return root;
  }

  function fmt(value) { return value === null || value === undefined ? "–" : Number(value).toFixed(2); }

  function link(href, text) { return el("a", { href: href }, text); }

  function evidenceLinks(item, mechanism) {
    var span = el("span", { class: "cw-diag-evidence" });
    item.cmocs.forEach(function (cmoc, i) {
      if (i) span.appendChild(document.createTextNode(", "));
      span.appendChild(link("cmocs/" + encodeURIComponent(cmoc), cmoc));
    });
    (item.concepts || []).slice(0, 1).forEach(function (concept) {
      span.appendChild(document.createTextNode(" · "));
      span.appendChild(link("?view=chains&from=" + encodeURIComponent(concept) + "&to=" +
        encodeURIComponent(item.toward), "chains in the web"));
    });
    span.appendChild(document.createTextNode(" · "));
    span.appendChild(link("?view=concept&id=" + encodeURIComponent(mechanism), "neighbourhood"));
    return span;
  }

  function renderReport(result) {
    var report = document.getElementById("cw-diag-report");
    report.textContent = "";
    report.appendChild(el("h2", {}, "Readiness diagnostic report"));
    report.appendChild(el("p", { class: "cw-diag-notice" }, "Instrument in use: " + result.instrument.label +
      ". " + result.maturity.label + "."));
    report.appendChild(el("h3", {}, "Maturity profile (derived)"));
    var charts = el("div", { class: "cw-diag-charts" });
    result.maturity.domains.forEach(function (domain) {
      var box = el("div", { class: "cw-diag-domain", "data-domain": domain.id, "data-score": domain.score,
        "data-level": domain.level });
      box.appendChild(chart(domain, result.mechanisms, result.instrument.at_risk_below));
      charts.appendChild(box);
    });
    report.appendChild(charts);
    report.appendChild(el("h3", {}, "Mechanisms"));
    var table = el("table", { class: "cw-diag-table" });
    var header = el("tr");
    ["Mechanism", "Score", "Status", "Weight"].forEach(function (h) { header.appendChild(el("th", {}, h)); });
    table.appendChild(header);
    result.mechanisms.forEach(function (m) {
      var row = el("tr", { "data-mechanism": m.id, "data-score": m.score, "data-at-risk": m.at_risk });
      row.appendChild(el("td", {}, m.label));
      row.appendChild(el("td", { class: "cw-diag-score" }, fmt(m.score)));
      row.appendChild(el("td", { class: m.at_risk ? "cw-diag-risk" : "" }, m.at_risk ? "at risk" : "ok"));
      row.appendChild(el("td", {}, m.weight));
      table.appendChild(row);
    });
    report.appendChild(table);
    var items = {};
    result.items.forEach(function (item) { items[item.id] = item; });
    result.mechanisms.filter(function (m) { return m.at_risk; }).forEach(function (m) {
      var section = el("section", { class: "cw-diag-finding", "data-mechanism": m.id });
      section.appendChild(el("h3", { class: "cw-diag-risk" }, m.label + " is at risk (" + fmt(m.score) + ")"));
      var list = el("ul");
      m.weak_items.forEach(function (id) {
        var item = items[id], li = el("li", { "data-item": id });
        li.appendChild(document.createTextNode(id + ". " + item.text + " Answer " + item.answer + ", score " +
          item.score + (item.reverse_scored ? " (reverse-scored)" : "") + ". Evidence: "));
        li.appendChild(evidenceLinks(item, m.id));
        list.appendChild(li);
      });
      section.appendChild(list);
      if (m.chains.length) section.appendChild(el("p", { class: "cw-note" }, "Chains (nestings): " + m.chains.join(", ")));
      if (m.prompts.length) {
        section.appendChild(el("p", {}, "Action prompts (derived from the evidence, not the study's action statements):"));
        var prompts = el("ul", { class: "cw-diag-prompts" });
        m.prompts.forEach(function (p) { prompts.appendChild(el("li", {}, p.text)); });
        section.appendChild(prompts);
      }
      report.appendChild(section);
    });
    if (!result.at_risk.length) report.appendChild(el("p", {}, "No mechanism is at risk."));
    report.scrollIntoView();
  }
})();
