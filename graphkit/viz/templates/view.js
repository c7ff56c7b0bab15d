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

  /* A node's name: in the map and ego views the page draws the labels itself (`name`); in the
     knowledge view vis-network does (`label`). */
  function nameOf(n) { return n.name !== undefined ? n.name : (n.label || ""); }
  function hasPos(n) { return n.x !== undefined && n.y !== undefined; }

  var LAND = "#f4f1e8", BORDER = "#b8b2a2";

  /* Country outlines (SVG path data in canvas units, made in Python) drawn under the network. */
  function makeBasemap(layers) {
    return layers.map(function (layer) {
      return {
        clip: layer.clip, highlight: layer.highlight || {},
        paths: layer.paths.map(function (p) { return { code: p[0], name: p[1], path: new Path2D(p[2]) }; })
      };
    });
  }

  function drawBasemap(ctx, layers, scale) {
    var drawn = 0;
    layers.forEach(function (layer) {
      ctx.save();
      if (layer.clip) {
        var c = layer.clip;
        ctx.beginPath();
        ctx.rect(c[0], c[1], c[2] - c[0], c[3] - c[1]);
        ctx.clip();
      }
      ctx.lineWidth = 0.8 / scale;
      ctx.strokeStyle = BORDER;
      ctx.lineJoin = "round";
      layer.paths.forEach(function (p) {
        ctx.fillStyle = layer.highlight[p.code] || LAND;
        ctx.fill(p.path, "evenodd");
        ctx.stroke(p.path);
        drawn++;
      });
      ctx.restore();
    });
    return drawn;
  }

  /* Labels drawn on the canvas at a constant screen size, each placed where it covers no label
     already placed and, if it can, no dot: right, left, above, below, the corners, then further out
     with a leader line. Mode "all" (small views): every node gets a label; when no spot is free the
     short form (a country view's code) is tried, then the least crowded spot is taken. Mode "top"
     (large views): the biggest places in sight that fit, up to `top`, and the one found first. */
  var DIRECTIONS = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [1, 1], [-1, -1], [-1, 1]];
  var CELL = 64;

  function RectIndex() { this.cells = {}; }
  RectIndex.prototype.add = function (r) {
    for (var gx = Math.floor(r[0] / CELL); gx <= Math.floor(r[2] / CELL); gx++) {
      for (var gy = Math.floor(r[1] / CELL); gy <= Math.floor(r[3] / CELL); gy++) {
        var k = gx + "," + gy;
        (this.cells[k] || (this.cells[k] = [])).push(r);
      }
    }
  };
  RectIndex.prototype.overlap = function (r) {
    var area = 0, seen = [];
    for (var gx = Math.floor(r[0] / CELL); gx <= Math.floor(r[2] / CELL); gx++) {
      for (var gy = Math.floor(r[1] / CELL); gy <= Math.floor(r[3] / CELL); gy++) {
        var list = this.cells[gx + "," + gy];
        if (!list) continue;
        for (var i = 0; i < list.length; i++) {
          var p = list[i];
          if (seen.indexOf(p) >= 0) continue;
          seen.push(p);
          var w = Math.min(r[2], p[2]) - Math.max(r[0], p[0]);
          if (w <= 0) continue;
          var h = Math.min(r[3], p[3]) - Math.max(r[1], p[1]);
          if (h > 0) area += w * h;
        }
      }
    }
    return area;
  };

  function makeLabeller(network, nodeItems, policy, isShown, shortName) {
    var order = nodeItems.filter(function (n) { return hasPos(n) && nameOf(n); });
    order.sort(function (a, b) {
      var an = nameOf(a), bn = nameOf(b);
      return (b.size - a.size) || (an < bn ? -1 : an > bn ? 1 : 0) || (a.id - b.id);
    });
    var widths = {};
    var state = { focus: null, placed: [] };
    var all = policy.mode === "all";

    function draw(ctx) {
      var m = ctx.getTransform();
      var ratio = window.devicePixelRatio || 1;
      var W = ctx.canvas.width, H = ctx.canvas.height;
      var fontPx = 12 * ratio, pad = 2 * ratio;
      var face = "px system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK JP', sans-serif";
      var labels = new RectIndex(), dots = new RectIndex(), labelled = [];
      var list = order;
      if (state.focus !== null) {
        list = order.filter(function (n) { return n.id === state.focus; })
          .concat(order.filter(function (n) { return n.id !== state.focus; }));
      }
      // Where each candidate is on screen (and, in small views, its dot as an obstacle).
      var items = [];
      for (var i = 0; i < list.length; i++) {
        var n = list[i];
        if (!isShown(n)) continue;
        var body = network.body.nodes[n.id];
        var x = body ? body.x : n.x, y = body ? body.y : n.y;
        var sx = m.a * x + m.c * y + m.e, sy = m.b * x + m.d * y + m.f;
        if (sx < -50 || sy < -20 || sx > W + 50 || sy > H + 20) continue;
        var r = (n.size || 8) * m.a;
        items.push([n, sx, sy, r]);
        if (all) dots.add([sx - r, sy - r, sx + r, sy + r]);
        if (!all && items.length > 4 * policy.top) break;
      }
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.textBaseline = "top";
      ctx.lineJoin = "round";
      var limit = all ? Infinity : policy.top + (state.focus !== null ? 1 : 0);
      for (var j = 0; j < items.length && labelled.length < limit; j++) {
        var n2 = items[j][0], sx2 = items[j][1], sy2 = items[j][2], r2 = items[j][3] + 2 * ratio;
        var focus = n2.id === state.focus;
        var font = (focus ? "bold " : "") + fontPx + face;
        ctx.font = font;
        var texts = [nameOf(n2)];
        var alt = shortName(n2);
        if (all && alt && alt !== texts[0]) texts.push(alt);
        var best = null, bestScore = Infinity, bestText = texts[0];
        for (var t = 0; t < texts.length && bestScore > 0; t++) {
          var key = (focus ? "b|" : "|") + texts[t];
          if (widths[key] === undefined) widths[key] = ctx.measureText(texts[t]).width;
          var w = widths[key] + 2 * pad, h = fontPx + 2 * pad;
          for (var far = 0; far <= (all ? 3 : 1) && bestScore > 0; far++) {
            var gap = far * 14 * ratio;
            for (var k = 0; k < DIRECTIONS.length; k++) {
              var dx = DIRECTIONS[k][0], dy = DIRECTIONS[k][1];
              var lx = dx > 0 ? sx2 + r2 + gap : dx < 0 ? sx2 - r2 - gap - w : sx2 - w / 2;
              var ly = dy > 0 ? sy2 + r2 * (dx ? 0.5 : 1) + gap : dy < 0 ? sy2 - r2 * (dx ? 0.5 : 1) - gap - h : sy2 - h / 2;
              var rect = [lx, ly, lx + w, ly + h];
              var out = (lx < 0 || ly < 0 || lx + w > W || ly + h > H) ? w * h / 4 : 0;
              var score = labels.overlap(rect) * 10 + (all ? dots.overlap(rect) : 0) + out + t * 50 + far;
              if (score < bestScore) { best = rect; bestScore = score; bestText = texts[t]; }
              if (score <= far + t * 50 && labels.overlap(rect) === 0 && (!all || dots.overlap(rect) === 0)) { bestScore = 0; break; }
            }
          }
        }
        var crowded = labels.overlap(best) > 0;
        if (crowded && !all && !focus) continue;
        labels.add(best);
        var cx = (best[0] + best[2]) / 2, cy = (best[1] + best[3]) / 2;
        if (Math.abs(cx - sx2) > r2 + (best[2] - best[0]) / 2 + 3 || Math.abs(cy - sy2) > r2 + (best[3] - best[1]) / 2 + 3) {
          ctx.strokeStyle = "rgba(70,70,70,0.55)";
          ctx.lineWidth = ratio;
          ctx.beginPath();
          ctx.moveTo(sx2, sy2);
          ctx.lineTo(Math.max(best[0], Math.min(sx2, best[2])), Math.max(best[1], Math.min(sy2, best[3])));
          ctx.stroke();
        }
        ctx.font = font;
        ctx.lineWidth = 3 * ratio;
        ctx.strokeStyle = "rgba(255,255,255,0.92)";
        ctx.strokeText(bestText, best[0] + pad, best[1] + pad);
        ctx.fillStyle = focus ? "#b00020" : "#222";
        ctx.fillText(bestText, best[0] + pad, best[1] + pad);
        labelled.push({ id: n2.id, name: bestText, overlaps: crowded });
      }
      ctx.restore();
      state.placed = labelled;
    }
    return { draw: draw, state: state };
  }

  function start() {
    var timing = { start: performance.now() };
    var config = readJson("gk-config");
    var nodeItems = readJson("gk-nodes");
    var edgeItems = readJson("gk-edges");
    timing.parsed = performance.now();
    // Outside the knowledge view the page draws the labels itself (placed to avoid each other):
    // vis-network gets no label to draw, the name moves to `name`.
    if (config.labels && config.labels.mode !== "vis") {
      nodeItems.forEach(function (n) { n.name = n.label; delete n.label; });
    }
    // Places without coordinates at their country are drawn as rings (position unknown).
    nodeItems.forEach(function (n) {
      if (n.nc && hasPos(n)) {
        n.color = { background: "#ffffff", border: typeof n.color === "string" ? n.color : "#777777" };
        n.borderWidth = 2;
      }
    });
    var nodes = new vis.DataSet(nodeItems);
    var edges = new vis.DataSet(edgeItems);
    timing.datasets = performance.now();
    var byId = {};
    nodeItems.forEach(function (n) { byId[n.id] = n; });

    var hasFilters = config.filters.countries.length > 0 || config.filters.types.length > 0;
    var unplacedItems = nodeItems.filter(function (n) { return n.nc || !hasPos(n); });
    var hasUnplaced = unplacedItems.some(function (n) { return !hasPos(n); });
    var state = { country: "", type: "" };
    var visibleNodes = null; // null: every node
    function edgeVisible(e) {
      if (hasUnplaced && (!hasPos(byId[e.from]) || !hasPos(byId[e.to]))) return false;
      if (state.type && e.k !== state.type) return false;
      if (state.country && byId[e.from].cc !== state.country && byId[e.to].cc !== state.country) return false;
      return true;
    }
    function nodeVisible(n) {
      return hasPos(n) && (visibleNodes === null || visibleNodes.has(n.id));
    }
    // Large views draw the nodes first, then stream the links in (the page is usable meanwhile);
    // `edges` always holds every link, `drawnEdges` what the network has been given so far.
    var progressive = !!config.progressive;
    var drawnEdges = progressive ? new vis.DataSet() : edges;
    var data;
    var nodeView = null, edgeView = null;
    if (hasFilters || hasUnplaced) {
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
      ready: false, readyMs: null, complete: false, completeMs: null,
      mapPathsDrawn: 0, labelled: []
    };
    window.gkView = api;

    var basemap = makeBasemap(config.basemap || []);
    if (basemap.length) {
      network.on("beforeDrawing", function (ctx) {
        api.mapPathsDrawn = drawBasemap(ctx, basemap, network.getScale());
      });
    }
    var labeller = null;
    if (config.labels && config.labels.mode !== "vis") {
      var shortName = config.kind === "countries" ? function (n) { return n.cc; } : function () { return ""; };
      labeller = makeLabeller(network, nodeItems, config.labels, function (n) { return nodeVisible(n); }, shortName);
      network.on("afterDrawing", function (ctx) {
        labeller.draw(ctx);
        api.labelled = labeller.state.placed;
      });
    }

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
      var n = byId[id];
      showDetails(n.title);
      if (!hasPos(n)) { network.unselectAll(); return; } // not drawn: its details only
      if (visibleNodes !== null && !visibleNodes.has(id)) clearFilters();
      if (labeller) labeller.state.focus = id;
      network.selectNodes([id]);
      network.focus(id, { scale: config.focusScale, animation: false });
      showDetails(n.title);
    }
    function search(query) {
      var q = fold(query);
      results.textContent = "";
      if (!q) { status.textContent = ""; return []; }
      var exact = [], prefix = [], inside = [];
      nodeItems.forEach(function (n) {
        var keys = (n.q || fold(nameOf(n))).split("|");
        if (keys.indexOf(q) >= 0) exact.push(n);
        else if (keys.some(function (k) { return k.indexOf(q) === 0; })) prefix.push(n);
        else if (keys.some(function (k) { return k.indexOf(q) > 0; })) inside.push(n);
      });
      var found = exact.concat(prefix, inside);
      status.textContent = found.length === 0 ? "no match" : found.length === 1 ? "1 match" : found.length + " matches";
      found.slice(0, 30).forEach(function (n) {
        var li = document.createElement("li");
        var b = el("button", nameOf(n) + (n.cc ? " (" + n.cc + ")" : ""));
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

    // ---- places without coordinates
    var ulist = document.getElementById("gk-unplaced");
    if (ulist) {
      var ufilter = document.getElementById("gk-unplaced-filter");
      var ustatus = document.getElementById("gk-unplaced-status");
      unplacedItems.sort(function (a, b) {
        return (a.cc || "~").localeCompare(b.cc || "~") || nameOf(a).localeCompare(nameOf(b));
      });
      var showUnplaced = function () {
        var q = fold(ufilter.value);
        ulist.textContent = "";
        var found = unplacedItems.filter(function (n) {
          return !q || (n.q || fold(nameOf(n))).split("|").some(function (k) { return k.indexOf(q) >= 0; });
        });
        found.slice(0, 200).forEach(function (n) {
          var li = document.createElement("li");
          var b = el("button", nameOf(n) + (n.cc ? " (" + n.cc + ")" : " (country unknown)"));
          b.type = "button";
          b.setAttribute("data-node-id", String(n.id));
          b.addEventListener("click", function () { select(n.id); });
          li.appendChild(b);
          ulist.appendChild(li);
        });
        ustatus.textContent = found.length > 200 ? "first 200 of " + found.length : found.length + " shown";
        return found.length;
      };
      ufilter.addEventListener("input", showUnplaced);
      showUnplaced();
      api.filterUnplaced = function (text) { ufilter.value = text; return showUnplaced(); };
    }

    // ---- filters
    var fstatus = document.getElementById("gk-filter-status");
    var csel = fillSelect("gk-filter-country", config.filters.countries);
    var tsel = fillSelect("gk-filter-type", config.filters.types);
    function applyFilters() {
      if (!hasFilters || !nodeView) return;
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
