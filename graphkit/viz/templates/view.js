/* graphkit view page script: draws the network, legend, search, filters and details.
   Every text from the data is set with textContent (or vis-network's innerText titles): never HTML. */
(function () {
  "use strict";

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  var EXTRA_FOLD = { "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe" };

  /* Same folding as graphkit.viz.safejson.fold: lower case, no accents, single spaces. */
  function fold(text) {
    var s = String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    s = s.replace(/[łøđħıßæœ]/g, function (c) { return EXTRA_FOLD[c]; });
    return s.split(/\s+/).filter(Boolean).join(" ");
  }

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  var GLYPHS = { dot: "●", square: "■", box: "▬", diamond: "◆", triangle: "▲", triangleDown: "▼",
                 star: "★", hexagon: "⬢", ellipse: "⬬" };

  function buildLegend(items) {
    var list = document.getElementById("gk-legend");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var sw;
      if (item.shape === "line") {
        sw = el("span", null, "gk-line" + (item.dashes ? " gk-dashed" : ""));
        sw.style.borderTopColor = item.color;
      } else {
        sw = el("span", GLYPHS[item.shape] || "●", "gk-swatch");
        sw.style.color = item.color;
      }
      li.appendChild(sw);
      li.appendChild(el("span", item.label));
      list.appendChild(li);
    });
  }

  function fillSelect(id, options) {
    var sel = document.getElementById(id);
    if (!sel) return null;
    options.forEach(function (o) {
      var opt = el("option", o[1] + " (" + o[2] + ")");
      opt.value = o[0];
      sel.appendChild(opt);
    });
    return sel;
  }

  function start() {
    var timing = { start: performance.now() };
    var config = readJson("gk-config");
    var nodeItems = readJson("gk-nodes");
    var edgeItems = readJson("gk-edges");
    timing.parsed = performance.now();
    var nodes = new vis.DataSet(nodeItems);
    var edges = new vis.DataSet(edgeItems);
    timing.datasets = performance.now();
    var byId = {};
    nodeItems.forEach(function (n) { byId[n.id] = n; });

    var hasFilters = config.filters.countries.length > 0 || config.filters.types.length > 0;
    var state = { country: "", type: "" };
    var visibleNodes = null; // null: every node
    function edgeVisible(e) {
      if (state.type && e.k !== state.type) return false;
      if (state.country && byId[e.from].cc !== state.country && byId[e.to].cc !== state.country) return false;
      return true;
    }
    function nodeVisible(n) {
      return visibleNodes === null || visibleNodes.has(n.id);
    }
    // Large views draw the nodes first, then stream the links in (the page is usable meanwhile);
    // `edges` always holds every link, `drawnEdges` what the network has been given so far.
    var progressive = !!config.progressive;
    var drawnEdges = progressive ? new vis.DataSet() : edges;
    var data;
    var nodeView = null, edgeView = null;
    if (hasFilters) {
      nodeView = new vis.DataView(nodes, { filter: nodeVisible });
      edgeView = new vis.DataView(drawnEdges, { filter: edgeVisible });
      data = { nodes: nodeView, edges: edgeView };
    } else {
      data = { nodes: nodes, edges: drawnEdges };
    }

    var container = document.getElementById("mynetwork");
    var network = new vis.Network(container, data, config.options);
    timing.network = performance.now();
    var api = {
      network: network, nodes: nodes, edges: edges, config: config, timing: timing,
      counts: { nodes: nodes.length, edges: edges.length },
      ready: false, readyMs: null, complete: false, completeMs: null
    };
    window.gkView = api;

    function markComplete() {
      api.complete = true;
      api.completeMs = performance.now();
      timing.complete = api.completeMs;
      document.documentElement.setAttribute("data-gk-complete", "1");
    }
    function streamEdges(start) {
      if (start >= edgeItems.length) {
        network.once("afterDrawing", markComplete);
        network.redraw();
        return;
      }
      drawnEdges.add(edgeItems.slice(start, start + config.edgeChunk));
      setTimeout(function () { streamEdges(start + config.edgeChunk); }, 0);
    }
    network.once("afterDrawing", function () {
      api.ready = true;
      api.readyMs = performance.now();
      timing.drawn = api.readyMs;
      document.documentElement.setAttribute("data-gk-ready", "1");
      if (progressive) setTimeout(function () { streamEdges(0); }, 0);
      else markComplete();
    });

    var details = document.getElementById("gk-details");
    function showDetails(text) { details.textContent = text; }
    network.on("click", function (params) {
      if (params.nodes.length) showDetails(nodes.get(params.nodes[0]).title);
      else if (params.edges.length) showDetails(edges.get(params.edges[0]).title);
    });

    buildLegend(config.legend);
    var sourceList = document.getElementById("gk-sources");
    if (sourceList) {
      config.sources.forEach(function (s) {
        sourceList.appendChild(el("dt", s[0]));
        sourceList.appendChild(el("dd", s[1]));
      });
    }

    // ---- search
    var input = document.getElementById("gk-search");
    var status = document.getElementById("gk-search-status");
    var results = document.getElementById("gk-search-results");
    function select(id) {
      if (visibleNodes !== null && !visibleNodes.has(id)) clearFilters();
      network.selectNodes([id]);
      network.focus(id, { scale: config.focusScale, animation: false });
      showDetails(byId[id].title);
    }
    function search(query) {
      var q = fold(query);
      results.textContent = "";
      if (!q) { status.textContent = ""; return []; }
      var exact = [], prefix = [], inside = [];
      nodeItems.forEach(function (n) {
        var keys = (n.q || fold(n.label)).split("|");
        if (keys.indexOf(q) >= 0) exact.push(n);
        else if (keys.some(function (k) { return k.indexOf(q) === 0; })) prefix.push(n);
        else if (keys.some(function (k) { return k.indexOf(q) > 0; })) inside.push(n);
      });
      var found = exact.concat(prefix, inside);
      status.textContent = found.length === 0 ? "no match" : found.length === 1 ? "1 match" : found.length + " matches";
      found.slice(0, 30).forEach(function (n) {
        var li = document.createElement("li");
        var b = el("button", n.label + (n.cc ? " (" + n.cc + ")" : ""));
        b.type = "button";
        b.setAttribute("data-node-id", String(n.id));
        b.addEventListener("click", function () { select(n.id); });
        li.appendChild(b);
        results.appendChild(li);
      });
      if (found.length) select(found[0].id);
      return found.map(function (n) { return n.id; });
    }
    api.search = search;
    document.getElementById("gk-search-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      search(input.value);
    });

    // ---- filters
    var fstatus = document.getElementById("gk-filter-status");
    var csel = fillSelect("gk-filter-country", config.filters.countries);
    var tsel = fillSelect("gk-filter-type", config.filters.types);
    function applyFilters() {
      if (!hasFilters) return;
      if (!state.country && !state.type) {
        visibleNodes = null;
      } else {
        visibleNodes = new Set();
        edgeItems.forEach(function (e) {
          if (edgeVisible(e)) { visibleNodes.add(e.from); visibleNodes.add(e.to); }
        });
        if (state.country && !state.type) {
          nodeItems.forEach(function (n) { if (n.cc === state.country) visibleNodes.add(n.id); });
        }
      }
      nodeView.refresh();
      edgeView.refresh();
      fstatus.textContent = (state.country || state.type)
        ? "showing " + nodeView.length + " nodes, " + edgeView.length + " links" : "";
      network.fit({ animation: false });
    }
    function clearFilters() {
      state.country = ""; state.type = "";
      if (csel) csel.value = "";
      if (tsel) tsel.value = "";
      applyFilters();
    }
    if (csel) csel.addEventListener("change", function () { state.country = csel.value; applyFilters(); });
    if (tsel) tsel.addEventListener("change", function () { state.type = tsel.value; applyFilters(); });
    api.setFilter = function (country, type) {
      state.country = country || ""; state.type = type || "";
      if (csel) csel.value = state.country;
      if (tsel) tsel.value = state.type;
      applyFilters();
      return { nodes: nodeView ? nodeView.length : nodes.length, edges: edgeView ? edgeView.length : edges.length };
    };
  }

  try {
    start();
  } catch (err) {
    var box = document.getElementById("mynetwork");
    box.textContent = "";
    box.appendChild(el("p", "This view could not be drawn: " + err, "gk-error"));
    throw err;
  }
})();
