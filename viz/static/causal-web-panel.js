/*
 * causal-web details panel: what the side panel and the chains list show for a concept, an
 * arrow or a chain. For a record: its title and statement as published, every slot that holds
 * parts (an uncoded part is shown as published and marked "not coded"), its flags (incomplete,
 * inferred), the relations its source states and its evidence items (source, locator,
 * judgement, evidence type). For an arrow or a hop: the valence counts and summary valence,
 * the independent evidence bases, the record kinds, and for a hop how it joins the one before
 * (a nesting stated by the authors, assembled by the curator, or the tool's hypothesis) and
 * whether it is stitched.
 *
 * Loaded before causal-web.js, which draws the view; both build text with textContent only,
 * never innerHTML.
 */
(function () {
  "use strict";

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

  // An arrow's distinct sources. A large view leaves them out of its data (they are the
  // union of by_phase), so they are worked out on first use.
  function edgeSources(cw) {
    if (!cw.sources) {
      var seen = {};
      Object.keys(cw.by_phase || {}).forEach(function (phase) {
        cw.by_phase[phase].forEach(function (s) { seen[s] = true; });
      });
      cw.sources = Object.keys(seen).sort();
    }
    return cw.sources;
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
      ", " + plural(cw.bases.length, "independent evidence base") + ", " + plural(edgeSources(cw).length, "distinct source")));
    if (cw.record_kinds && cw.record_kinds.length) {
      box.appendChild(el("p", "cw-meta cw-record-kinds", "Record kinds: " + cw.record_kinds.join(", ")));
    }
    if (cw.inferred) box.appendChild(el("p", "cw-warning", "Every record behind this arrow rests in part on the curator's reading (an inferred split, coding or configuration)."));
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
    if (view.data.large) {
      box.appendChild(el("p", "cw-meta cw-large-note", "A web this large is sent without the records' texts: " +
        "open the neighbourhood of either concept to read them."));
    }
    box.appendChild(sourceList(view, edgeSources(cw)));
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
      " name this concept, from " + plural(cw.sources, "distinct source") + " in " +
      plural(cw.bases || 0, "independent evidence base") + "."));
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
        if (hop.inferred) h.appendChild(el("p", "cw-warning", "Every record of this hop rests in part on the curator's reading (an inferred split, coding or configuration)."));
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

  window.CausalWebPanel = {
    el: el,
    clear: clear,
    plural: plural,
    valenceText: valenceText,
    edgeSources: edgeSources,
    countsText: countsText,
    valenceClass: valenceClass,
    recordLine: recordLine,
    sourceText: sourceText,
    sourceList: sourceList,
    recordItem: recordItem,
    showSelection: showSelection,
    chainList: chainList,
  };
})();
