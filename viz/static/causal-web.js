/*
 * causal-web: draws a view of the causal web with vis-network, with its legend, filters and
 * details panel. Used inline by standalone HTML files and served to the explorer page.
 *
 * Safety rule: every text that comes from data (labels, definitions, citations, IDs) reaches
 * the page through textContent or a text node, never innerHTML. Tooltips are DOM elements
 * built the same way, so vis-network never parses a data string as HTML either.
 *
 * Timing hook: mount() records view.renderStartedAt and, once the network has drawn with
 * physics stopped and a frame has passed, view.settledAt (both performance.now() ms, that is
 * from navigation start), and dispatches a "causal-web:settled" event on the container with
 * {renderMs, nodes, edges} in its detail. The last mounted view is window.causalWeb.
 *
 * Large views (data.large, from 600 concepts): vis-network spends about 0.1 ms per edge to
 * build and again to draw, so a 17,000-arrow web took seconds per frame. There the page draws
 * the arrows itself, in a few batched canvas strokes per colour, and gives vis-network only the
 * arrows in play: those of the traced chains, and those of the concept under the pointer or
 * selected, which become hoverable and clickable like any other.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var TOOLTIP_RECORDS = 5;
  var PANEL_RECORDS = 40;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function plural(n, word, many) {
    return n + " " + (n === 1 ? word : many || word + "s");
  }

  function valenceText(valence) {
    if (valence === "-") return "−";
    return valence || "unspecified";
  }

  // "6 −, 1 unspecified": the records behind an arrow or hop, by the valence they state.
  function countsText(counts) {
    if (!counts) return "";
    var parts = [];
    if (counts["+"]) parts.push(counts["+"] + " +");
    if (counts["-"]) parts.push(counts["-"] + " −");
    if (counts.unspecified) parts.push(counts.unspecified + " unspecified");
    return parts.join(", ");
  }

  function valenceClass(valence) {
    return "cw-valence cw-valence-" + (valence === "+" ? "pos" : valence === "-" ? "neg" : valence === "mixed" ? "mixed" : "unk");
  }

  // A record's parts as one line of text: "C “Shared vision” → M “Reduced conflict” → ...".
  function recordLine(r) {
    return (r.slots || []).map(function (slot) {
      return slot.badge + " " + slot.parts.map(function (part) {
        return "“" + part.label + "”" + (part.concept ? "" : " (not coded)");
      }).join("; ");
    }).join(" → ");
  }

  // -- tooltips (DOM elements, text only) ------------------------------------------------------

  function tooltip(lines) {
    var box = el("div", "cw-tooltip");
    lines.forEach(function (line, i) {
      box.appendChild(el("div", i === 0 ? "cw-tooltip-head" : "cw-tooltip-line", line));
    });
    return box;
  }

  function nodeTooltip(node) {
    var cw = node.cw;
    var lines = [
      cw.label,
      cw.category_label + " · " + plural(cw.records, "CMOC or link", "CMOCs and links") + " · " + plural(cw.sources, "source"),
    ];
    if (cw.definition) lines.push(cw.definition);
    return tooltip(lines);
  }

  function edgeTooltip(view, edge) {
    var cw = edge.cw;
    var records = cw.cmocs.length + cw.links.length;
    var lines = [
      view.label(edge.from) + " → " + view.label(edge.to) + "   (" + valenceText(cw.valence) + ")",
      plural(records, "record") + " (" + countsText(cw.valence_counts) + ") · " +
        plural(cw.bases.length, "evidence base") + " · " + plural(cw.sources.length, "distinct source"),
    ];
    cw.cmocs.concat(cw.links).slice(0, TOOLTIP_RECORDS).forEach(function (id) {
      var r = view.data.records[id];
      if (!r) return;
      lines.push(id + ": " + recordLine(r) + " (" + r.citation + ")");
    });
    if (records > TOOLTIP_RECORDS) lines.push("… and " + (records - TOOLTIP_RECORDS) + " more: click the arrow");
    return tooltip(lines);
  }

  // -- legend swatches (SVG built element by element) -------------------------------------

  function shapePoints(shape, r) {
    var pts = [];
    var i;
    if (shape === "triangle") return [[0, -r], [r * 0.95, r * 0.7], [-r * 0.95, r * 0.7]];
    if (shape === "triangleDown") return [[0, r], [r * 0.95, -r * 0.7], [-r * 0.95, -r * 0.7]];
    if (shape === "diamond") return [[0, -r], [r, 0], [0, r], [-r, 0]];
    if (shape === "square") return [[-r * 0.8, -r * 0.8], [r * 0.8, -r * 0.8], [r * 0.8, r * 0.8], [-r * 0.8, r * 0.8]];
    if (shape === "hexagon") {
      for (i = 0; i < 6; i++) pts.push([r * Math.cos((Math.PI / 3) * i), r * Math.sin((Math.PI / 3) * i)]);
      return pts;
    }
    if (shape === "star") {
      for (i = 0; i < 10; i++) {
        var rad = i % 2 ? r * 0.45 : r;
        var a = (Math.PI / 5) * i - Math.PI / 2;
        pts.push([rad * Math.cos(a), rad * Math.sin(a)]);
      }
      return pts;
    }
    return null;
  }

  function svgElement(name, attrs) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function swatch(category) {
    var svg = svgElement("svg", { viewBox: "-11 -11 22 22", width: "20", height: "20", "aria-hidden": "true" });
    var pts = shapePoints(category.shape, 9);
    var shape = pts
      ? svgElement("polygon", { points: pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ") })
      : svgElement("circle", { r: "8" });
    shape.setAttribute("fill", category.colour);
    shape.setAttribute("stroke", category.border);
    shape.setAttribute("stroke-width", category.key === "long-term-outcome" ? "3" : "1.5");
    svg.appendChild(shape);
    return svg;
  }

  function valenceSwatch(style) {
    var svg = svgElement("svg", { viewBox: "0 0 34 12", width: "34", height: "12", "aria-hidden": "true" });
    var line = svgElement("line", { x1: "1", y1: "6", x2: "25", y2: "6", stroke: style.colour, "stroke-width": "2.5" });
    if (style.dashes) line.setAttribute("stroke-dasharray", "5 3");
    svg.appendChild(line);
    svg.appendChild(svgElement("polygon", { points: "24,1 33,6 24,11", fill: style.colour }));
    return svg;
  }

  // -- filters ---------------------------------------------------------------------------------

  function edgeVisible(edge, f, nodeShown) {
    var cw = edge.cw;
    if (f.hideDimmed && !cw.highlighted) return false;
    if (!nodeShown[edge.from] || !nodeShown[edge.to]) return false;
    var phases = Object.keys(cw.by_phase);
    if (!f.phases && f.minSources <= 1) return true;
    var seen = {};
    var count = 0;
    var any = false;
    phases.forEach(function (phase) {
      if (f.phases && !f.phases.has(phase)) return;
      any = true;
      cw.by_phase[phase].forEach(function (s) {
        if (!seen[s]) { seen[s] = true; count += 1; }
      });
    });
    if (!any && phases.length) return false;
    return count >= f.minSources;
  }

  function applyFilters(view, filters) {
    var f = {
      phases: filters.phases || null,
      groups: filters.groups || null,
      minSources: Math.max(1, filters.minSources || 1),
      hideDimmed: !!filters.hideDimmed,
    };
    view.filters = f;
    var groupShown = {};
    view.data.nodes.forEach(function (n) {
      var keep = n.cw.focus || !f.groups || f.groups.has(n.cw.category);
      if (f.hideDimmed && n.cw.dimmed) keep = false;
      groupShown[n.id] = keep;
    });
    var narrowed = !!f.phases || f.minSources > 1;
    var hasEdge = {};
    view.shownEdges = {};
    view.data.edges.forEach(function (e) {
      if (edgeVisible(e, f, groupShown)) {
        view.shownEdges[e.id] = true;
        hasEdge[e.from] = true;
        hasEdge[e.to] = true;
      }
    });
    view.shownNodes = {};
    view.data.nodes.forEach(function (n) {
      if (groupShown[n.id] && (!narrowed || hasEdge[n.id] || n.cw.focus || n.cw.highlighted)) view.shownNodes[n.id] = true;
    });
    var nodeUpdates = [];
    view.nodes.forEach(function (n) {
      var show = !!view.shownNodes[n.id];
      if (!!n.hidden === show) nodeUpdates.push({ id: n.id, hidden: !show });
    });
    var edgeUpdates = [];
    view.edges.forEach(function (e) {
      var show = !!view.shownEdges[e.id];
      if (!!e.hidden === show) edgeUpdates.push({ id: e.id, hidden: !show });
    });
    if (nodeUpdates.length) view.nodes.update(nodeUpdates);
    if (edgeUpdates.length) view.edges.update(edgeUpdates);
    view.network.redraw();
    return f;
  }

  // -- controls --------------------------------------------------------------------------------

  function renderControls(container, view, onChange) {
    clear(container);
    var data = view.data;
    var state = { phases: null, groups: null, minSources: 1, hideDimmed: false };
    function update() {
      applyFilters(view, state);
      if (onChange) onChange(state);
    }

    var phaseBox = el("fieldset", "cw-filter");
    phaseBox.appendChild(el("legend", null, "Phases (theory versions)"));
    var phaseInputs = [];
    data.phases.forEach(function (phase) {
      var label = el("label", "cw-check");
      var input = el("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = phase.id;
      input.name = "phase";
      phaseInputs.push(input);
      label.appendChild(input);
      label.appendChild(document.createTextNode(phase.label));
      phaseBox.appendChild(label);
    });
    phaseBox.addEventListener("change", function () {
      var chosen = phaseInputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      state.phases = chosen.length === phaseInputs.length ? null : new Set(chosen);
      update();
    });
    container.appendChild(phaseBox);

    var sourceBox = el("fieldset", "cw-filter");
    sourceBox.appendChild(el("legend", null, "Evidence"));
    var sourceLabel = el("label", "cw-number", "At least ");
    var sourceInput = el("input");
    sourceInput.type = "number";
    sourceInput.min = "1";
    sourceInput.max = "99";
    sourceInput.value = "1";
    sourceInput.name = "min_sources";
    sourceLabel.appendChild(sourceInput);
    sourceLabel.appendChild(document.createTextNode(" distinct sources per arrow"));
    sourceBox.appendChild(sourceLabel);
    sourceInput.addEventListener("input", function () {
      var n = parseInt(sourceInput.value, 10);
      state.minSources = isNaN(n) || n < 1 ? 1 : n;
      update();
    });
    if (data.kind === "chains") {
      var dimLabel = el("label", "cw-check");
      var dimInput = el("input");
      dimInput.type = "checkbox";
      dimInput.name = "hide_dimmed";
      dimLabel.appendChild(dimInput);
      dimLabel.appendChild(document.createTextNode("Show only the chains"));
      dimInput.addEventListener("change", function () {
        state.hideDimmed = dimInput.checked;
        update();
        view.fitHighlighted();
      });
      sourceBox.appendChild(dimLabel);
    }
    container.appendChild(sourceBox);

    var legend = data.legend;
    var groupBox = el("fieldset", "cw-filter cw-legend");
    groupBox.appendChild(el("legend", null, "Concepts (untick to hide)"));
    var groupInputs = [];
    legend.categories.forEach(function (category) {
      var label = el("label", "cw-check cw-legend-row");
      var input = el("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = category.key;
      input.name = "group";
      groupInputs.push(input);
      label.appendChild(input);
      label.appendChild(swatch(category));
      label.appendChild(document.createTextNode(category.label));
      groupBox.appendChild(label);
    });
    groupBox.addEventListener("change", function () {
      var chosen = groupInputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      state.groups = chosen.length === groupInputs.length ? null : new Set(chosen);
      update();
    });
    groupBox.appendChild(el("p", "cw-note", legend.size));
    container.appendChild(groupBox);

    var valenceBox = el("fieldset", "cw-filter cw-legend");
    valenceBox.appendChild(el("legend", null, "Arrows"));
    legend.valences.forEach(function (style) {
      var row = el("div", "cw-legend-row");
      row.dataset.valence = style.valence;
      row.appendChild(valenceSwatch(style));
      row.appendChild(document.createTextNode(style.label));
      valenceBox.appendChild(row);
    });
    valenceBox.appendChild(el("p", "cw-note", legend.width));
    container.appendChild(valenceBox);
    return state;
  }

  // -- details panel ---------------------------------------------------------------------------

  function sourceText(view, id) {
    var s = view.data.sources[id];
    return s ? s.short : id;
  }

  function sourceList(view, ids) {
    var list = el("ul", "cw-sources");
    ids.forEach(function (id) {
      var s = view.data.sources[id];
      var item = el("li", null, s ? s.short : id);
      if (s && s.title) item.title = s.title;
      if (s && s.doi) {
        var link = el("a", "cw-doi", "doi");
        link.href = "https://doi.org/" + encodeURI(s.doi);
        link.rel = "noopener noreferrer external";
        link.target = "_blank";
        item.appendChild(document.createTextNode(" "));
        item.appendChild(link);
      }
      list.appendChild(item);
    });
    return list;
  }

  function phaseLabel(view, id) {
    for (var i = 0; i < view.data.phases.length; i++) {
      if (view.data.phases[i].id === id) return view.data.phases[i].label;
    }
    return id;
  }

  function recordHeader(id, r, hooks) {
    var kind = r ? r.kind : "cmoc";
    var head = el("div", "cw-record-head");
    head.appendChild(el("span", "cw-record-id", id));
    head.appendChild(el("span", "cw-tag", kind === "link" ? "stated link" : "CMOC"));
    if (r && r.record_kind && r.record_kind !== "cmoc" && r.record_kind !== "stated") {
      head.appendChild(el("span", "cw-tag cw-tag-kind", r.record_kind));
    }
    if (r && r.incomplete) head.appendChild(el("span", "cw-tag cw-flag cw-flag-incomplete", "incomplete"));
    if (r && r.inferred) head.appendChild(el("span", "cw-tag cw-flag cw-flag-inferred", "inferred"));
    if (hooks && hooks.recordLinks) hooks.recordLinks(id, kind).forEach(function (a) { head.appendChild(a); });
    return head;
  }

  function partItem(part) {
    var item = el("li", "cw-part" + (part.concept ? "" : " cw-uncoded"));
    item.appendChild(el("q", null, part.label));
    if (part.concept) {
      item.appendChild(el("span", "cw-concept", part.concept));
    } else {
      var note = el("span", "cw-not-coded", "not coded");
      note.title = "An uncoded part: kept as published and searchable, but it draws no arrow.";
      item.appendChild(note);
    }
    if (part.polarity && part.polarity !== "unspecified") item.appendChild(el("span", "cw-polarity", part.polarity));
    if (part.inferred) item.appendChild(el("span", "cw-flag cw-flag-inferred", "inferred"));
    return item;
  }

  function slotList(r) {
    var list = el("dl", "cw-slots");
    (r.slots || []).forEach(function (slot) {
      var term = el("dt", "cw-slot-name");
      term.dataset.slot = slot.slot;
      var badge = el("span", "cw-slot", slot.badge);
      badge.title = slot.title;
      term.appendChild(badge);
      term.appendChild(document.createTextNode(" " + slot.title));
      list.appendChild(term);
      var value = el("dd", "cw-slot-parts");
      var parts = el("ul", "cw-parts");
      slot.parts.forEach(function (part) { parts.appendChild(partItem(part)); });
      value.appendChild(parts);
      list.appendChild(value);
    });
    return list;
  }

  function relationText(rel) {
    if (rel.relation === "and") return "together: " + rel.parts.join(" and ");
    var text = rel.from + " " + rel.relation + " " + rel.to;
    if (rel.valence && rel.valence !== "unspecified") text += " (" + valenceText(rel.valence) + ")";
    return text + (rel.inferred ? " (inferred)" : "");
  }

  var EVIDENCE_TYPES = {
    "review-author-statement": "review authors' statement",
    "primary-study-finding": "primary study finding",
    "interview-data": "interview or focus-group data",
    "curator-inference": "curator's inference",
  };

  function evidenceList(view, items) {
    var list = el("ul", "cw-evidence");
    items.forEach(function (item) {
      var li = el("li", "cw-evidence-item");
      li.dataset.judgement = item.judgement;
      li.appendChild(el("span", "cw-judgement cw-judgement-" + item.judgement, item.judgement));
      li.appendChild(document.createTextNode(" " + sourceText(view, item.source) + (item.locator ? ", " + item.locator : "")));
      li.appendChild(el("span", "cw-evidence-type", " · " + (EVIDENCE_TYPES[item.evidence_type] || item.evidence_type)));
      if (item.quote) li.appendChild(el("q", "cw-evidence-quote", item.quote));
      list.appendChild(li);
    });
    return list;
  }

  // One CMOC or stated link: its ID and flags, title and statement as published, every slot
  // that holds parts (uncoded ones marked "not coded"), the relations its source states, its
  // evidence items, and where it was transcribed from.
  function recordItem(view, id, hooks, full) {
    var r = view.data.records[id];
    var item = el("li", "cw-record");
    item.dataset.record = id;
    item.appendChild(recordHeader(id, r, hooks));
    if (!r) return item;
    if (r.title) item.appendChild(el("p", "cw-record-title", r.title));
    if (r.statement) item.appendChild(el("blockquote", "cw-statement", r.statement));
    item.appendChild(slotList(r));
    if (full && r.relations && r.relations.length) {
      var rels = el("ul", "cw-relations");
      r.relations.forEach(function (rel) { rels.appendChild(el("li", null, relationText(rel))); });
      item.appendChild(rels);
    }
    if (full && r.evidence && r.evidence.length) item.appendChild(evidenceList(view, r.evidence));
    item.appendChild(el("p", "cw-citation", r.citation + " · " + phaseLabel(view, r.phase)));
    return item;
  }

  function edgeDetails(view, edge, hooks) {
    var cw = edge.cw;
    var box = el("section", "cw-selection");
    box.dataset.edge = edge.id;
    box.appendChild(el("h3", null, view.label(edge.from) + " → " + view.label(edge.to)));
    var valence = el("p", valenceClass(cw.valence), view.valenceLabel(cw.valence));
    valence.dataset.valence = cw.valence;
    box.appendChild(valence);
    box.appendChild(el("p", "cw-meta cw-valence-counts", "Stated valences: " + countsText(cw.valence_counts)));
    box.appendChild(el("p", "cw-meta", plural(cw.cmocs.length, "CMOC") + ", " + plural(cw.links.length, "stated link") +
      ", " + plural(cw.bases.length, "independent evidence base") + ", " + plural(cw.sources.length, "distinct source")));
    if (cw.record_kinds && cw.record_kinds.length) {
      box.appendChild(el("p", "cw-meta cw-record-kinds", "Record kinds: " + cw.record_kinds.join(", ")));
    }
    if (cw.inferred) box.appendChild(el("p", "cw-warning", "Every record behind this arrow is a curator's inference."));
    if (cw.incomplete) box.appendChild(el("p", "cw-warning", "A record behind this arrow is cut off in its source (incomplete)."));
    var ids = cw.cmocs.concat(cw.links);
    var list = el("ol", "cw-records");
    ids.slice(0, PANEL_RECORDS).forEach(function (id) { list.appendChild(recordItem(view, id, hooks, true)); });
    box.appendChild(list);
    if (ids.length > PANEL_RECORDS) box.appendChild(el("p", "cw-meta", "Also: " + ids.slice(PANEL_RECORDS).join(", ")));
    box.appendChild(el("h4", null, "Evidence bases"));
    var bases = el("ul", "cw-bases");
    cw.bases.forEach(function (b) { bases.appendChild(el("li", null, b)); });
    box.appendChild(bases);
    box.appendChild(el("h4", null, "Sources"));
    box.appendChild(sourceList(view, cw.sources));
    return box;
  }

  function nodeDetails(view, node, hooks) {
    var cw = node.cw;
    var box = el("section", "cw-selection");
    box.dataset.node = node.id;
    box.appendChild(el("h3", null, cw.label));
    var tag = el("p", "cw-meta");
    tag.appendChild(el("span", "cw-tag", cw.category_label));
    tag.appendChild(document.createTextNode(" " + node.id));
    box.appendChild(tag);
    box.appendChild(el("p", "cw-definition", cw.definition || "No definition recorded."));
    box.appendChild(el("p", "cw-meta", plural(cw.cmocs, "CMOC") + " and " + plural(cw.links, "stated link") +
      " name this concept, from " + plural(cw.sources, "distinct source") + "."));
    if (hooks && hooks.nodeActions) {
      var actions = el("div", "cw-actions");
      hooks.nodeActions(node).forEach(function (a) { actions.appendChild(a); });
      box.appendChild(actions);
    }
    return box;
  }

  function showSelection(panel, view, selection, hooks) {
    clear(panel);
    if (!selection) {
      panel.appendChild(el("p", "cw-hint", "Click a concept or an arrow to see its evidence. Hover for a summary."));
      return;
    }
    if (selection.edge) panel.appendChild(edgeDetails(view, view.edgeData[selection.edge], hooks));
    else if (selection.node) panel.appendChild(nodeDetails(view, view.nodeData[selection.node], hooks));
  }

  var NESTINGS = {
    stated: "Joined to the hop before by a nesting the source's authors state.",
    curator: "Joined to the hop before by a nesting the curator assembled (flagged).",
    tool: "Joined to the hop before by the tool, through a shared concept.",
  };

  function chainList(view, hooks) {
    var chains = view.data.chains;
    var box = el("section", "cw-chains");
    if (!chains) return box;
    if (!chains.chains.length) {
      box.appendChild(el("p", "cw-empty", "No chain links these concepts within " +
        (view.data.query.max_hops || 4) + " hops. Try more hops, another route, or no 'via'."));
      return box;
    }
    var name = view.label;
    var list = el("ol", "cw-chain-list");
    chains.chains.forEach(function (chain, index) {
      var li = el("li", "cw-chain");
      li.dataset.chain = String(index);
      var head = el("button", "cw-chain-head");
      head.type = "button";
      head.appendChild(el("span", "cw-chain-path", chain.concepts.map(name).join(" → ")));
      head.appendChild(el("span", "cw-meta", "valence " + valenceText(chain.valence) + " · " + plural(chain.length, "hop") +
        " · weakest hop " + plural(chain.weakest_bases, "evidence base") +
        (chain.stitched_hops ? " · " + plural(chain.stitched_hops, "stitched hop") : "") +
        (chain.hypothesis ? " · hypothesis" : "")));
      head.addEventListener("click", function () {
        view.selectChain(index);
        Array.prototype.forEach.call(list.children, function (c) { c.classList.toggle("cw-active", c === li); });
      });
      li.appendChild(head);
      var hops = el("ol", "cw-hops");
      chain.hops.forEach(function (hop) {
        var h = el("li", "cw-hop" + (hop.stitched ? " cw-stitched" : "") + (hop.hypothesis ? " cw-hypothesis" : ""));
        h.dataset.valence = hop.valence;
        if (hop.nesting) h.dataset.nesting = hop.nesting;
        var title = el("p", "cw-hop-title", name(hop.from) + " → " + name(hop.to) + "  (" + valenceText(hop.valence) + ")");
        h.appendChild(title);
        h.appendChild(el("p", "cw-meta cw-valence-counts", "Stated valences: " + countsText(hop.valence_counts) +
          " · " + plural(hop.bases.length, "evidence base") + " · record kinds: " + hop.record_kinds.join(", ")));
        if (hop.through.length) h.appendChild(el("p", "cw-meta", "through " + hop.through.map(name).join(", ")));
        if (hop.nesting) h.appendChild(el("p", "cw-meta cw-nesting", NESTINGS[hop.nesting] || hop.nesting));
        if (hop.hypothesis) h.appendChild(el("p", "cw-warning cw-hypothesis-note", "Hypothesis: joined to the hop before only because they share a concept."));
        if (hop.stitched) h.appendChild(el("p", "cw-warning", "Stitched: shares no independent evidence base with the hop before, so no single body of evidence claims this step of the chain."));
        if (hop.inferred) h.appendChild(el("p", "cw-warning", "Every record of this hop is a curator's inference."));
        if (hop.incomplete) h.appendChild(el("p", "cw-warning", "A record of this hop is cut off in its source (incomplete)."));
        var recs = el("ul", "cw-hop-records");
        hop.records.forEach(function (id) { recs.appendChild(recordItem(view, id, hooks, false)); });
        h.appendChild(recs);
        h.appendChild(el("p", "cw-meta", "Sources: " + hop.sources.map(function (s) { return sourceText(view, s); }).join("; ")));
        hops.appendChild(h);
      });
      li.appendChild(hops);
      list.appendChild(li);
    });
    box.appendChild(list);
    if (chains.truncated) box.appendChild(el("p", "cw-meta", "More chains exist than are shown: narrow the question to see them."));
    return box;
  }


  // -- batched arrows for large views -------------------------------------------------------

  function batchGroups(view) {
    var groups = {};
    var dim = null;
    view.data.legend.valences.forEach(function (s) { groups[s.valence] = { colour: s.colour, dashes: s.dashes, widths: {} }; });
    view.data.edges.forEach(function (e) {
      var key = e.cw.dimmed ? "dim" : e.cw.valence;
      if (!groups[key]) {
        dim = typeof e.color === "object" ? e.color.color : "#d9d9d9";
        groups[key] = { colour: dim, dashes: false, widths: {}, alpha: 0.55 };
      }
      var w = String(e.width || 1);
      (groups[key].widths[w] = groups[key].widths[w] || []).push(e);
    });
    // Dimmed arrows first, so the others are drawn over them.
    var order = Object.keys(groups).sort(function (a, b) { return (b === "dim") - (a === "dim"); });
    return order.map(function (key) { return groups[key]; });
  }

  function drawBatch(ctx, view) {
    if (!view.batch) return;
    var positions = view.network.getPositions();
    var sizes = view.nodeSizes;
    // Arrowheads smaller than a few pixels on screen cost most of the drawing and show nothing.
    var scale = view.network.getScale();
    view.batch.forEach(function (group) {
      ctx.save();
      ctx.strokeStyle = group.colour;
      ctx.fillStyle = group.colour;
      ctx.globalAlpha = group.alpha || 0.8;
      ctx.setLineDash(group.dashes ? [5, 4] : []);
      Object.keys(group.widths).forEach(function (width) {
        var edges = group.widths[width];
        var heads = [];
        ctx.lineWidth = parseFloat(width);
        ctx.beginPath();
        edges.forEach(function (e) {
          if (!view.shownEdges[e.id] || view.promoted[e.id]) return;
          var a = positions[e.from];
          var b = positions[e.to];
          if (!a || !b) return;
          var dx = b.x - a.x;
          var dy = b.y - a.y;
          var length = Math.sqrt(dx * dx + dy * dy) || 1;
          var ux = dx / length;
          var uy = dy / length;
          var tipX = b.x - ux * (sizes[e.to] || 10);
          var tipY = b.y - uy * (sizes[e.to] || 10);
          ctx.moveTo(a.x, a.y);
          ctx.lineTo(tipX, tipY);
          heads.push([tipX, tipY, ux, uy]);
        });
        ctx.stroke();
        var size = 6 + parseFloat(width);
        if (size * scale < 3) return;
        ctx.setLineDash([]);
        ctx.beginPath();
        heads.forEach(function (h) {
          ctx.moveTo(h[0], h[1]);
          ctx.lineTo(h[0] - h[2] * size - h[3] * size * 0.45, h[1] - h[3] * size + h[2] * size * 0.45);
          ctx.lineTo(h[0] - h[2] * size + h[3] * size * 0.45, h[1] - h[3] * size - h[2] * size * 0.45);
          ctx.closePath();
        });
        ctx.fill();
        ctx.setLineDash(group.dashes ? [5, 4] : []);
      });
      ctx.restore();
    });
  }

  function withTooltip(view, edge) {
    var item = Object.assign({}, edge);
    item.title = edgeTooltip(view, edge);
    item.hidden = !view.shownEdges[edge.id];
    return item;
  }

  // Hand vis-network the arrows of one concept, so they can be hovered and clicked.
  function promote(view, nodeId) {
    if (!view.batch || view.promotedFor === nodeId) return;
    var stale = Object.keys(view.promoted).filter(function (id) { return !view.pinned[id]; });
    if (stale.length) view.edges.remove(stale);
    view.promoted = {};
    Object.keys(view.pinned).forEach(function (id) { view.promoted[id] = true; });
    var fresh = (view.edgesByNode[nodeId] || []).filter(function (e) { return !view.promoted[e.id]; });
    fresh.forEach(function (e) { view.promoted[e.id] = true; });
    if (fresh.length) view.edges.add(fresh.map(function (e) { return withTooltip(view, e); }));
    view.promotedFor = nodeId;
  }

  // -- mounting ----------------------------------------------------------------------------------

  function drawColumns(ctx, columns) {
    if (!columns || !columns.length) return;
    ctx.save();
    ctx.font = "600 24px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
    ctx.fillStyle = "#6b6b6b";
    ctx.textAlign = "center";
    columns.forEach(function (c) { ctx.fillText(c.label, c.x, c.y); });
    ctx.restore();
  }

  function mount(container, data, options) {
    options = options || {};
    var started = performance.now();
    var view = {
      kind: data.kind,
      data: data,
      container: container,
      renderStartedAt: started,
      settledAt: null,
      renderMs: null,
      filters: null,
      nodeData: {},
      edgeData: {},
      shownNodes: {},
      shownEdges: {},
      promoted: {},
      pinned: {},
      promotedFor: null,
      batch: null,
    };
    view.label = function (id) { var n = view.nodeData[id]; return n ? n.cw.label : id; };
    view.valenceLabel = function (valence) {
      var found = data.legend.valences.filter(function (s) { return s.valence === valence; })[0];
      return found ? found.label : valence;
    };
    data.nodes.forEach(function (n) { view.nodeData[n.id] = n; view.shownNodes[n.id] = true; });
    data.edges.forEach(function (e) { view.edgeData[e.id] = e; view.shownEdges[e.id] = true; });

    var nodeItems = data.nodes.map(function (n) {
      var item = Object.assign({}, n);
      item.title = nodeTooltip(n);
      return item;
    });
    var edgeItems;
    if (data.large) {
      view.edgesByNode = {};
      view.nodeSizes = {};
      data.nodes.forEach(function (n) { view.nodeSizes[n.id] = n.size || 10; });
      data.edges.forEach(function (e) {
        (view.edgesByNode[e.from] = view.edgesByNode[e.from] || []).push(e);
        (view.edgesByNode[e.to] = view.edgesByNode[e.to] || []).push(e);
        if (e.cw.highlighted) view.pinned[e.id] = true;
      });
      view.batch = batchGroups(view);
      edgeItems = data.edges.filter(function (e) { return view.pinned[e.id]; }).map(function (e) {
        view.promoted[e.id] = true;
        return withTooltip(view, e);
      });
    } else {
      edgeItems = data.edges.map(function (e) { return withTooltip(view, e); });
    }
    var nodes = new vis.DataSet(nodeItems);
    var edges = new vis.DataSet(edgeItems);
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
    view.network = network;
    view.nodes = nodes;
    view.edges = edges;
    view.edgeCount = data.edges.length;

    view.applyFilters = function (f) { return applyFilters(view, f); };
    view.visibleNodeIds = function () {
      return Object.keys(view.shownNodes).filter(function (id) { return view.shownNodes[id]; });
    };
    view.highlightedNodeIds = function () {
      return data.nodes.filter(function (n) { return n.cw.highlighted || n.cw.focus; }).map(function (n) { return n.id; });
    };
    // Fit the concepts (and, for the whole drawing, the column headings) to the canvas.
    // vis-network's own fit() knows nothing of the headings, which stick out at the sides.
    view.fit = function (ids, animate) {
      var positions = network.getPositions(ids || undefined);
      var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
      function grow(x0, y0, x1, y1) {
        box.left = Math.min(box.left, x0);
        box.right = Math.max(box.right, x1);
        box.top = Math.min(box.top, y0);
        box.bottom = Math.max(box.bottom, y1);
      }
      Object.keys(positions).forEach(function (id) {
        var p = positions[id];
        var r = view.nodeData[id] ? view.nodeData[id].size || 10 : 10;
        grow(p.x - r - 70, p.y - r - 10, p.x + r + 70, p.y + r + 45);
      });
      if (!ids) {
        (data.columns || []).forEach(function (c) {
          var half = c.label.length * 7.5;
          grow(c.x - half, c.y - 28, c.x + half, c.y + 6);
        });
      }
      if (box.left === Infinity) return;
      var width = container.clientWidth || 800;
      var height = container.clientHeight || 600;
      var scale = Math.min(width / (box.right - box.left), height / (box.bottom - box.top), 1.1) * 0.96;
      network.moveTo({
        position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
        scale: scale,
        animation: animate ? { duration: 300, easingFunction: "easeInOutQuad" } : false,
      });
    };
    view.fitHighlighted = function () {
      var ids = data.highlight && data.highlight.nodes.length ? data.highlight.nodes : null;
      view.fit(ids && data.kind === "chains" ? ids : null, false);
    };
    view.selectChain = function (index) {
      var nodeIds = data.nodes.filter(function (n) { return (n.cw.chains || []).indexOf(index) >= 0; }).map(function (n) { return n.id; });
      var edgeIds = edges.getIds({ filter: function (e) { return (e.cw.chains || []).indexOf(index) >= 0; } });
      network.setSelection({ nodes: nodeIds, edges: edgeIds }, { unselectAll: true, highlightEdges: false });
      view.fit(nodeIds, true);
    };
    view.destroy = function () { network.destroy(); };

    network.on("beforeDrawing", function (ctx) {
      drawColumns(ctx, data.columns);
      drawBatch(ctx, view);
    });
    if (data.large) {
      network.on("hoverNode", function (params) { promote(view, params.node); });
    }
    network.on("click", function (params) {
      if (params.nodes.length) promote(view, params.nodes[0]);
      if (!options.onSelect) return;
      if (params.nodes.length) options.onSelect({ node: params.nodes[0] });
      else if (params.edges.length) options.onSelect({ edge: params.edges[0] });
      else options.onSelect(null);
    });

    function settled() {
      // One more frame, so the drawing is on screen and the main thread is free again.
      requestAnimationFrame(function () {
        view.settledAt = performance.now();
        view.renderMs = view.settledAt - view.renderStartedAt;
        container.dispatchEvent(new CustomEvent("causal-web:settled", {
          bubbles: true,
          detail: { renderMs: view.renderMs, nodes: data.nodes.length, edges: data.edges.length },
        }));
      });
    }
    var physics = data.options && data.options.physics && data.options.physics.enabled;
    if (physics) {
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        network.once("afterDrawing", settled);
        view.fitHighlighted();
      });
    } else {
      network.once("afterDrawing", settled);
      view.fitHighlighted();
      network.redraw();
    }
    window.causalWeb = view;
    return view;
  }

  // -- standalone pages --------------------------------------------------------------------------

  function bootStandalone() {
    var source = document.getElementById("cw-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var panel = document.getElementById("cw-details");
    var view;
    view = mount(document.getElementById("cw-network"), data, {
      onSelect: function (selection) { showSelection(panel, view, selection); },
    });
    renderControls(document.getElementById("cw-controls"), view);
    showSelection(panel, view, null);
    if (data.kind === "chains") {
      var summary = document.getElementById("cw-summary");
      if (summary) summary.appendChild(chainList(view));
    }
  }

  window.CausalWeb = {
    mount: mount,
    renderControls: renderControls,
    applyFilters: applyFilters,
    showSelection: showSelection,
    chainList: chainList,
    sourceList: sourceList,
    el: el,
    clear: clear,
    plural: plural,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bootStandalone);
  else bootStandalone();
})();
