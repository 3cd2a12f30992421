/*
 * causal-web: draws a view of the causal web with vis-network, with its legend and filters;
 * the details panel comes from causal-web-panel.js, which loads first. Used inline by
 * standalone HTML files and served to the explorer page.
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
 * selected, which become hoverable and clickable like any other. The same goes for concepts
 * (building 10,000 vis nodes took seconds): the page draws them, batched by style, and a
 * concept joins vis-network, with the other ends of its arrows, when the pointer reaches it
 * (found in a grid of the sent positions). Labels are drawn by level of detail (drawLabels).
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var TOOLTIP_RECORDS = 5;

  var P = window.CausalWebPanel;
  var el = P.el;
  var clear = P.clear;
  var plural = P.plural;
  var valenceText = P.valenceText;
  var countsText = P.countsText;
  var recordLine = P.recordLine;
  var showSelection = P.showSelection;
  var chainList = P.chainList;
  var sourceList = P.sourceList;

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
      cw.category_label + " · " + plural(cw.records, "CMOC or link", "CMOCs and links") + " · " + plural(cw.sources, "source") +
        " · " + plural(cw.bases || 0, "evidence base"),
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
        plural(cw.bases.length, "evidence base") + " · " + plural(P.edgeSources(cw).length, "distinct source"),
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

  // -- batched arrows for large views -------------------------------------------------------

  function batchGroups(view) {
    var groups = {};
    var dim = null;
    view.data.legend.valences.forEach(function (s) { groups[s.valence] = { colour: s.colour, dashes: s.dashes, widths: {} }; });
    view.data.edges.forEach(function (e) {
      var key = e.cw.dimmed ? "dim" : e.cw.evidence_status === "contested" ? "contested" : e.cw.valence;
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
    var positions = view.framePositions || view.network.getPositions();
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
    if (view.inVis) {
      // The concept and the other ends of its arrows join vis-network; the last ones leave.
      var wanted = {};
      wanted[nodeId] = true;
      fresh.forEach(function (e) { wanted[e.from] = true; wanted[e.to] = true; });
      var leaving = Object.keys(view.extraNodes || {}).filter(function (id) { return !wanted[id]; });
      if (leaving.length) view.nodes.remove(leaving);
      leaving.forEach(function (id) { delete view.inVis[id]; });
      view.extraNodes = {};
      var joining = [];
      Object.keys(wanted).forEach(function (id) {
        if (!view.nodeData[id]) return;
        if (!view.inVis[id]) { joining.push(visNode(view, view.nodeData[id])); view.inVis[id] = true; view.extraNodes[id] = true; }
        else if (view.extraNodes[id] === undefined && leaving.indexOf(id) < 0 && !view.pinnedNode(id)) view.extraNodes[id] = true;
      });
      if (joining.length) view.nodes.add(joining);
    }
    if (fresh.length) view.edges.add(fresh.map(function (e) { return withTooltip(view, e); }));
    view.promotedFor = nodeId;
  }

  // -- mounting ----------------------------------------------------------------------------------

  // -- level-of-detail labels for large views ----------------------------------------------
  //
  // A large view hands vis-network its concepts without labels and draws them here, after
  // each frame: with the whole web in view, only the top data.lod.zoomed_out concepts by rank
  // (cw.rank: 0 is the concept most records name), at a readable size on screen, leaving out
  // a label that would overlap one of a higher rank; zooming in
  // shows more, in proportion to the area magnified (budget x (scale / overview scale)^2);
  // from scale data.lod.all_from_scale on, every concept in the viewport. The chains' and the
  // focus concept's labels are always drawn. view.labelled holds the IDs drawn last frame.

  function labelBudget(view, scale) {
    var lod = view.data.lod;
    if (scale >= lod.all_from_scale) return Infinity;
    var ratio = Math.max(1, scale / (view.baseScale || scale));
    return Math.round(lod.zoomed_out * ratio * ratio);
  }

  function drawLabels(ctx, view) {
    var network = view.network;
    var scale = network.getScale();
    var budget = labelBudget(view, scale);
    var positions = view.framePositions || network.getPositions();
    var width = view.container.clientWidth || 800;
    var height = view.container.clientHeight || 600;
    var low = network.DOMtoCanvas({ x: 0, y: 0 });
    var high = network.DOMtoCanvas({ x: width, y: height });
    var size = Math.max(15, 13 / scale); // canvas units; 13 px on screen or more
    var drawn = [];
    ctx.save();
    ctx.font = "600 " + size.toFixed(1) + "px " + view.data.options.nodes.font.face;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4 / Math.min(scale, 1);
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#1a1a1a";
    var order = view.labelOrder;
    var shown = 0;
    var boxes = [];
    for (var i = 0; i < order.length; i++) {
      var id = order[i];
      var node = view.nodeData[id];
      var always = node.cw.highlighted || node.cw.focus;
      if (!always && shown >= budget) break;
      if (!view.shownNodes[id]) continue;
      var p = positions[id];
      if (!p || p.x < low.x - 200 / scale || p.x > high.x + 200 / scale || p.y < low.y - 50 / scale || p.y > high.y) continue;
      shown += 1;
      var y = p.y + (node.size || 10) + 3 / scale;
      if (budget !== Infinity && !always) {
        // Zoomed out, a label that would overlap one of a higher rank is left out.
        var half = node.cw.label.length * size * 0.29;
        var box = [p.x - half, y, p.x + half, y + size * 1.15];
        if (boxes.some(function (b) { return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]; })) continue;
        boxes.push(box);
      }
      ctx.strokeText(node.cw.label, p.x, y);
      ctx.fillText(node.cw.label, p.x, y);
      drawn.push(id);
    }
    ctx.restore();
    view.labelled = drawn;
  }

  var GRID = 120; // canvas units per cell of the grid that finds the concept under the pointer

  function visNode(view, n) {
    var item = Object.assign({}, n);
    delete item.label;
    item.title = nodeTooltip(n);
    item.hidden = !view.shownNodes[n.id];
    return item;
  }

  function nodeAt(view, point) {
    var scale = view.network.getScale();
    var cx = Math.floor(point.x / GRID);
    var cy = Math.floor(point.y / GRID);
    var best = null;
    var bestDistance = Infinity;
    for (var dx = -1; dx <= 1; dx++) {
      for (var dy = -1; dy <= 1; dy++) {
        (view.grid[(cx + dx) + "," + (cy + dy)] || []).forEach(function (n) {
          if (!view.shownNodes[n.id]) return;
          var d = Math.sqrt((n.x - point.x) * (n.x - point.x) + (n.y - point.y) * (n.y - point.y));
          if (d <= (n.size || 10) + 4 / scale && d < bestDistance) { best = n; bestDistance = d; }
        });
      }
    }
    return best;
  }

  function groupStyle(view, n) {
    var group = view.data.options.groups[n.group] || {};
    var colour = n.color && n.color.background ? n.color : group.color || {};
    return {
      shape: group.shape || "dot",
      fill: colour.background || "#97c2fc",
      stroke: colour.border || "#2b7ce9",
      width: n.borderWidth || group.borderWidth || 1.5,
    };
  }

  // The concepts vis-network does not hold, batched by style: one path per style and frame.
  function drawNodes(ctx, view) {
    var network = view.network;
    var scale = network.getScale();
    var width = view.container.clientWidth || 800;
    var height = view.container.clientHeight || 600;
    var low = network.DOMtoCanvas({ x: 0, y: 0 });
    var high = network.DOMtoCanvas({ x: width, y: height });
    var styles = {};
    view.data.nodes.forEach(function (n) {
      if (view.inVis[n.id] || !view.shownNodes[n.id]) return;
      var r = n.size || 10;
      if (n.x + r < low.x || n.x - r > high.x || n.y + r < low.y || n.y - r > high.y) return;
      var style = groupStyle(view, n);
      var key = style.shape + "|" + style.fill + "|" + style.stroke + "|" + style.width;
      (styles[key] = styles[key] || { style: style, nodes: [] }).nodes.push(n);
    });
    ctx.save();
    Object.keys(styles).forEach(function (key) {
      var entry = styles[key];
      ctx.beginPath();
      entry.nodes.forEach(function (n) {
        var r = n.size || 10;
        var pts = shapePoints(entry.style.shape, r);
        if (!pts) {
          ctx.moveTo(n.x + r, n.y);
          ctx.arc(n.x, n.y, r, 0, 2 * Math.PI);
          return;
        }
        ctx.moveTo(n.x + pts[0][0], n.y + pts[0][1]);
        for (var i = 1; i < pts.length; i++) ctx.lineTo(n.x + pts[i][0], n.y + pts[i][1]);
        ctx.closePath();
      });
      ctx.fillStyle = entry.style.fill;
      ctx.fill();
      ctx.lineWidth = entry.style.width;
      ctx.strokeStyle = entry.style.stroke;
      ctx.stroke();
    });
    ctx.restore();
  }

  function labelOrder(data) {
    // The chains' and focus concepts first, then by rank.
    return data.nodes.slice().sort(function (a, b) {
      var ka = a.cw.highlighted || a.cw.focus ? -1 : a.cw.rank;
      var kb = b.cw.highlighted || b.cw.focus ? -1 : b.cw.rank;
      return ka - kb;
    }).map(function (n) { return n.id; });
  }

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
    data.edges.forEach(function (e) {
      if (e.id === undefined) e.id = e.from + "->" + e.to; // a large view sends no edge IDs
      view.edgeData[e.id] = e;
      view.shownEdges[e.id] = true;
    });

    var nodeItems;
    if (data.large) {
      // A large view draws its concepts and labels itself (drawNodes, drawLabels) and hands
      // vis-network only the concepts in play (see promote), with tooltips built then.
      view.pos = {};
      view.inVis = {};
      view.grid = {};
      data.nodes.forEach(function (n) {
        view.pos[n.id] = { x: n.x, y: n.y };
        var key = Math.floor(n.x / GRID) + "," + Math.floor(n.y / GRID);
        (view.grid[key] = view.grid[key] || []).push(n);
      });
      nodeItems = data.nodes.filter(function (n) { return n.cw.highlighted || n.cw.focus; }).map(function (n) {
        view.inVis[n.id] = true;
        return visNode(view, n);
      });
    } else {
      nodeItems = data.nodes.map(function (n) {
        var item = Object.assign({}, n);
        item.title = nodeTooltip(n);
        return item;
      });
    }
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
      if (data.large) {
        positions = {};
        (ids || Object.keys(view.pos)).forEach(function (id) { if (view.pos[id]) positions[id] = view.pos[id]; });
      }
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
      view.framePositions = data.large ? view.pos : null;
      drawColumns(ctx, data.columns);
      drawBatch(ctx, view);
      if (data.large) drawNodes(ctx, view);
    });
    if (data.large) {
      view.labelOrder = labelOrder(data);
      view.labelled = [];
      network.on("afterDrawing", function (ctx) { drawLabels(ctx, view); });
      view.pinnedNode = function (id) { var n = view.nodeData[id]; return !!(n && (n.cw.highlighted || n.cw.focus)); };
      container.addEventListener("mousemove", function (event) {
        var box = container.getBoundingClientRect();
        var hit = nodeAt(view, network.DOMtoCanvas({ x: event.clientX - box.left, y: event.clientY - box.top }));
        if (hit && !view.inVis[hit.id]) {
          promote(view, hit.id);
          network.redraw();
        }
      });
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
        view.baseScale = network.getScale();
      });
    } else {
      network.once("afterDrawing", settled);
      view.fitHighlighted();
      view.baseScale = network.getScale();
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
