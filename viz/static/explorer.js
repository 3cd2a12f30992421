/*
 * The explorer page: pick a context and an outcome (optionally via trust, faith, confidence or
 * the core mechanisms) and see the chains; or a concept's neighbourhood; or the whole web.
 *
 * It talks only to this server, with relative URLs: the API's /concepts for the pickers and
 * /viz/... for drawings (see api/routes/explorer.py). Data is shown with textContent only
 * (causal-web.js builds every panel), and the page's URL records the question, so a view can
 * be bookmarked or shared.
 */
(function () {
  "use strict";

  var CW = window.CausalWeb;
  var el = CW.el;
  var clear = CW.clear;
  var OUTCOME_GROUPS = { "performance-domain": true, "long-term-outcome": true };
  var state = { tab: "web", view: null, request: 0, params: {} };
  var status = document.getElementById("cw-status");

  function setStatus(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("cw-error", !!isError);
  }

  function query(params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      if (value === null || value === undefined || value === "") return;
      if (Array.isArray(value)) value.forEach(function (v) { q.append(key, v); });
      else q.append(key, String(value));
    });
    var review = new URLSearchParams(location.search).get("review"); // one review of several
    if (review && !q.has("review")) q.append("review", review);
    var text = q.toString();
    return text ? "?" + text : "";
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new Error(body.detail || response.status + " " + response.statusText);
        return body;
      });
    });
  }

  function link(text, href, title) {
    var a = el("a", null, text);
    a.href = href;
    if (title) a.title = title;
    return a;
  }

  // -- concept pickers ---------------------------------------------------------------------

  function conceptTag(concept) {
    return (concept.group || concept.role || "concept").replace(/-/g, " ");
  }

  function preference(concept, prefer) {
    if (prefer === "context") return concept.role === "context" ? 0 : 1;
    if (prefer === "outcome") return concept.role === "outcome" || OUTCOME_GROUPS[concept.group] ? 0 : 1;
    return 0;
  }

  function combobox(input, list) {
    var items = [];
    var active = -1;
    var counter = 0;
    var timer = null;
    var prefer = input.dataset.prefer || "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        if (i === active) {
          input.setAttribute("aria-activedescendant", li.id);
          li.scrollIntoView({ block: "nearest" });
        }
      });
    }

    function render() {
      clear(list);
      if (!items.length) list.appendChild(el("li", "cw-none", "No concept matches"));
      items.forEach(function (concept, i) {
        var li = el("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.dataset.id = concept.id;
        li.appendChild(el("span", "cw-option-label", concept.pref_label));
        li.appendChild(el("span", "cw-tag", conceptTag(concept)));
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function fetchMatches(text) {
      return getJSON("concepts" + query({ q: text, limit: 60 })).then(function (body) {
        return body.items.slice().sort(function (a, b) {
          return preference(a, prefer) - preference(b, prefer) || a.pref_label.localeCompare(b.pref_label);
        });
      });
    }

    function search() {
      var mine = ++counter;
      var text = input.value.trim();
      fetchMatches(text).then(function (found) {
        // Drop answers overtaken by more typing, or for a box no longer in use.
        if (mine !== counter || text !== input.value.trim() || document.activeElement !== input) return;
        items = found;
        render();
      }).catch(function (error) { setStatus(error.message, true); });
    }

    function pick(i) {
      var concept = items[i];
      if (!concept) return;
      input.value = concept.pref_label;
      input.dataset.id = concept.id;
      close();
    }

    input.addEventListener("input", function () {
      delete input.dataset.id;
      counter += 1;
      // Narrow what is listed at once; the server's answer for the new text replaces it.
      var needle = input.value.trim().toLowerCase();
      items = items.filter(function (c) { return c.pref_label.toLowerCase().indexOf(needle) >= 0 || c.id.indexOf(needle) >= 0; });
      render();
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    input.addEventListener("focus", search);
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { search(); return; }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        active = Math.max(0, Math.min(items.length - 1, active + step));
        mark();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        close();
      }
    });

    return {
      set: function (id, label) {
        input.value = label || id || "";
        if (id) input.dataset.id = id;
        else delete input.dataset.id;
      },
      // The chosen concept's ID; typed text that was never picked resolves to its best match.
      resolve: function () {
        if (input.dataset.id) return Promise.resolve(input.dataset.id);
        var text = input.value.trim();
        if (!text) return Promise.reject(new Error("Choose a concept for '" + input.labels[0].textContent + "'."));
        return fetchMatches(text).then(function (found) {
          if (!found.length) throw new Error("No concept matches '" + text + "'.");
          var exact = found.filter(function (c) { return c.id === text || c.pref_label.toLowerCase() === text.toLowerCase(); });
          var chosen = exact[0] || found[0];
          input.value = chosen.pref_label;
          input.dataset.id = chosen.id;
          return chosen.id;
        });
      },
    };
  }

  var pickers = {
    from: combobox(document.getElementById("cw-from"), document.getElementById("cw-from-list")),
    to: combobox(document.getElementById("cw-to"), document.getElementById("cw-to-list")),
    concept: combobox(document.getElementById("cw-concept"), document.getElementById("cw-concept-list")),
  };
  var viaSelect = document.getElementById("cw-via");
  var hopsSelect = document.getElementById("cw-hops");
  var backgroundBox = document.getElementById("cw-background");

  // Every concept, a page at a time (at most ten pages): filtering by a group the dataset does
  // not have would be answered 400, so the core mechanisms are picked out here.
  function allConcepts(offset, found) {
    return getJSON("concepts" + query({ limit: 1000, offset: offset })).then(function (body) {
      found = found.concat(body.items);
      var next = offset + body.items.length;
      if (body.items.length && next < body.total && next < 10000) return allConcepts(next, found);
      return found;
    });
  }

  function fillVia() {
    return allConcepts(0, []).then(function (concepts) {
      var body = { items: concepts.filter(function (c) { return c.group === "core-mechanism"; }) };
      body.items.forEach(function (concept) {
        var option = el("option", null, concept.pref_label);
        option.value = concept.id;
        viaSelect.appendChild(option);
      });
      if (body.items.length) {
        var group = el("option", null, "any core mechanism (" + body.items.map(function (c) { return c.pref_label.toLowerCase(); }).join(", ") + ")");
        group.value = "core mechanisms";
        viaSelect.appendChild(group);
      }
    }).catch(function () { /* a dataset without core mechanisms: 'any route' only */ });
  }

  // -- panels --------------------------------------------------------------------------------

  function recordLinks(id, kind) {
    var path = (kind === "link" ? "links/" : "cmocs/") + encodeURIComponent(id);
    return [link("JSON", path, "This record as JSON"), link("Turtle", path + "?format=ttl", "This record as RDF Turtle")];
  }

  function nodeActions(node) {
    var id = node.id;
    var actions = [];
    var hood = el("button", "cw-linkish", "Show its neighbourhood");
    hood.type = "button";
    hood.addEventListener("click", function () { showConcept(id, node.cw.label); });
    actions.push(hood);
    var from = el("button", "cw-linkish", "Trace from here");
    from.type = "button";
    from.addEventListener("click", function () { pickers.from.set(id, node.cw.label); selectTab("chains"); });
    actions.push(from);
    var to = el("button", "cw-linkish", "Trace to here");
    to.type = "button";
    to.addEventListener("click", function () { pickers.to.set(id, node.cw.label); selectTab("chains"); });
    actions.push(to);
    var path = "concepts/" + encodeURIComponent(id);
    actions.push(link("JSON", path, "The concept and its neighbourhood as JSON"));
    actions.push(link("Turtle", path + "?format=ttl", "The concept as RDF Turtle"));
    return actions;
  }

  var hooks = { recordLinks: recordLinks, nodeActions: nodeActions };

  function viewLinks(kind, params, drawingUrl) {
    var box = el("div", "cw-view-links");
    if (kind === "chains") {
      var chainQuery = query(chainParams(params));
      box.appendChild(link("Chains as JSON", "chains" + chainQuery, "The API's answer: every hop with its records and sources"));
      box.appendChild(el("span", "cw-meta", "Turtle: per record, beside each CMOC below"));
    } else if (kind === "concept") {
      var path = "concepts/" + encodeURIComponent(params.id);
      box.appendChild(link("Concept as JSON", path));
      box.appendChild(link("Turtle", path + "?format=ttl"));
      box.appendChild(link("JSON-LD", path + "?format=jsonld"));
    } else {
      box.appendChild(link("CMOCs as JSON", "cmocs"));
      box.appendChild(link("All data as Turtle", "sparql" + query({ query: "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", format: "ttl" }),
        "A SPARQL CONSTRUCT of every triple, as Turtle"));
    }
    box.appendChild(link("Drawing as JSON", drawingUrl, "The nodes and edges drawn here, with their evidence"));
    return box;
  }

  function neighbourList(view, title, ids) {
    var box = el("section", "cw-selection");
    box.appendChild(el("h4", null, title));
    if (!ids.length) {
      box.appendChild(el("p", "cw-meta", "None recorded."));
      return box;
    }
    var list = el("ul", "cw-hood-list");
    ids.forEach(function (id) {
      var node = view.nodeData[id];
      var item = el("li");
      var button = el("button", "cw-linkish", node ? node.cw.label : id);
      button.type = "button";
      button.addEventListener("click", function () { showConcept(id, node ? node.cw.label : id); });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function renderSide(view, kind, params, drawingUrl) {
    var head = clear(document.getElementById("cw-view-head"));
    head.appendChild(el("h2", null, view.data.title));
    head.appendChild(el("p", "cw-meta", view.data.subtitle));
    if (view.data.notice) {
      // A whole web over its ceiling: which concepts are drawn, and where the others are.
      var notice = el("p", "cw-notice", view.data.notice.text);
      notice.id = "cw-notice";
      notice.setAttribute("role", "note");
      head.appendChild(notice);
    }
    head.appendChild(viewLinks(kind, params, drawingUrl));
    var details = document.getElementById("cw-details");
    var summary = clear(document.getElementById("cw-summary"));
    if (kind === "concept") {
      CW.showSelection(details, view, { node: params.id }, hooks);
      var focus = params.id;
      var edges = view.data.edges;
      var causes = {};
      var effects = {};
      edges.forEach(function (e) {
        if (e.to === focus && e.from !== focus) causes[e.from] = true;
        if (e.from === focus && e.to !== focus) effects[e.to] = true;
      });
      summary.appendChild(neighbourList(view, "What acts on it", Object.keys(causes).sort()));
      summary.appendChild(neighbourList(view, "What it acts on", Object.keys(effects).sort()));
    } else {
      CW.showSelection(details, view, null, hooks);
      if (kind === "chains") summary.appendChild(CW.chainList(view, hooks));
    }
  }

  // -- views ---------------------------------------------------------------------------------

  // The question of a chains view, as the API's /chains and /viz/chains take it.
  function chainParams(params) {
    return {
      from: params.from,
      to: params.to,
      via: params.via,
      max_hops: params.max_hops,
      include_background: params.include_background ? "true" : null,
    };
  }

  function drawingUrl(kind, params) {
    if (kind === "chains") return "viz/chains" + query(chainParams(params));
    if (kind === "concept") return "viz/neighbourhood/" + encodeURIComponent(params.id) + query({});
    return "viz/web" + query({ max_concepts: params.max_concepts, max_arrows: params.max_arrows });
  }

  function pageUrl(kind, params) {
    if (kind === "chains") return query(Object.assign({ view: "chains" }, chainParams(params)));
    if (kind === "concept") return query({ view: "concept", id: params.id });
    return query({ view: "web", max_concepts: params.max_concepts, max_arrows: params.max_arrows });
  }

  function load(kind, params, push) {
    var url = drawingUrl(kind, params);
    var mine = ++state.request;
    setStatus("Loading…");
    return getJSON(url).then(function (data) {
      if (mine !== state.request) return;
      if (state.view) state.view.destroy();
      var details = document.getElementById("cw-details");
      var view = CW.mount(document.getElementById("cw-network"), data, {
        onSelect: function (selection) { CW.showSelection(details, view, selection, hooks); },
      });
      state.view = view;
      state.params = params;
      CW.renderControls(document.getElementById("cw-controls"), view);
      renderSide(view, kind, params, url);
      if (kind === "chains") {
        var label = view.label;
        pickers.from.set(params.from, label(params.from));
        pickers.to.set(params.to, label(params.to));
        viaSelect.value = params.via || "";
        hopsSelect.value = String(params.max_hops || 4);
        backgroundBox.checked = !!params.include_background;
      } else if (kind === "concept") {
        var node = view.nodeData[params.id];
        pickers.concept.set(params.id, node ? node.cw.label : params.id);
      }
      document.title = data.title + " · causal-web explorer";
      if (push) history.pushState({ kind: kind, params: params }, "", pageUrl(kind, params) || "./");
      setStatus("");
    }).catch(function (error) {
      if (mine === state.request) setStatus(error.message, true);
    });
  }

  function selectTab(tab) {
    state.tab = tab;
    Array.prototype.forEach.call(document.querySelectorAll(".cw-tab"), function (button) {
      button.setAttribute("aria-pressed", button.dataset.tab === tab ? "true" : "false");
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-tab]"), function (form) {
      form.hidden = form.dataset.tab !== tab;
    });
  }

  function showConcept(id, label) {
    selectTab("concept");
    pickers.concept.set(id, label);
    return load("concept", { id: id }, true);
  }

  document.getElementById("cw-chains-form").addEventListener("submit", function (event) {
    event.preventDefault();
    Promise.all([pickers.from.resolve(), pickers.to.resolve()]).then(function (ids) {
      return load("chains", {
        from: ids[0],
        to: ids[1],
        via: viaSelect.value || null,
        max_hops: hopsSelect.value,
        include_background: backgroundBox.checked,
      }, true);
    }).catch(function (error) { setStatus(error.message, true); });
  });

  document.getElementById("cw-concept-form").addEventListener("submit", function (event) {
    event.preventDefault();
    pickers.concept.resolve().then(function (id) { return load("concept", { id: id }, true); })
      .catch(function (error) { setStatus(error.message, true); });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".cw-tab"), function (button) {
    button.addEventListener("click", function () {
      selectTab(button.dataset.tab);
      if (button.dataset.tab === "web") load("web", {}, true);
    });
  });

  function fromLocation() {
    var params = new URLSearchParams(location.search);
    var kind = params.get("view") || (params.get("from") ? "chains" : params.get("id") ? "concept" : "web");
    if (kind === "chains" && params.get("from") && params.get("to")) {
      selectTab("chains");
      // The 'via' list must hold the question's choice before the view shows it.
      return viaReady.then(function () {
        return load("chains", {
          from: params.get("from"),
          to: params.get("to"),
          via: params.get("via"),
          max_hops: params.get("max_hops") || 4,
          include_background: params.get("include_background") === "true",
        }, false);
      });
    }
    if (kind === "concept" && params.get("id")) {
      selectTab("concept");
      return load("concept", { id: params.get("id") }, false);
    }
    selectTab(kind === "concept" ? "concept" : "chains");
    return load("web", { max_concepts: params.get("max_concepts"), max_arrows: params.get("max_arrows") }, false);
  }

  // The concepts for the 'via' list are fetched while the first drawing loads: a large web
  // has thousands, a page of a thousand at a time.
  var viaReady = fillVia();
  window.addEventListener("popstate", fromLocation);
  fromLocation();
})();
