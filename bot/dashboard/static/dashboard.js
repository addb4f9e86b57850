// The dashboard page: asks /api/state every few seconds and draws the map, the board, the
// open alerts and reports and today's timeline. Every text from the server is set with
// textContent, never as HTML. After an error (the bot restarting) it keeps asking.
(function () {
  "use strict";
  var POLL_MS = 4000;
  var COLOURS = { short: "#c62828", staffed: "#2e7d32", off: "#90a4ae" };
  var MAX_NAMES = 20;  // desks whose names stay on a map without tiles (see drawMap)
  var view = { unit: null, page: 0, fitted: null };
  var state = null;
  var map = null;
  var markers = null;
  var timer = null;
  var tilesFailed = false;

  function $(id) { return document.getElementById(id); }
  function text(id, value) { $(id).textContent = value; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }
  function item(content, cls) {
    var li = document.createElement("li");
    li.textContent = content;
    if (cls) { li.className = cls; }
    return li;
  }
  function clear(list) { while (list.firstChild) { list.removeChild(list.firstChild); } }

  function setupMap(data) {
    map = L.map("map", { zoomSnap: 0.5 });
    if (data.tiles) {
      var tiles = L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18 });
      // Without tiles the markers stay, on a plain background, each with its name.
      tiles.on("tileerror", function () {
        if (!tilesFailed) { tilesFailed = true; if (state) { drawMap(state); } }
      });
      tiles.addTo(map);
    }
    markers = L.layerGroup().addTo(map);
    map.setView([-2.5, 118], 5);
  }

  function drawMap(data) {
    if (map === null) { setupMap(data); }
    markers.clearLayers();
    var points = [];
    var names = !data.tiles || tilesFailed;
    // Without tiles every desk would carry its name, and a kota's 65 names cover each other:
    // beyond MAX_NAMES only the short desks keep theirs, the others show it on hover.
    var crowded = data.map.markers.length > MAX_NAMES;
    data.map.markers.forEach(function (m) {
      var label = document.createElement("span");
      label.textContent = m.unit || !names ? m.label : m.name;
      var marker = L.circleMarker([m.lat, m.lon], {
        radius: m.unit ? 14 : 8, color: "#263238", weight: 1, fillOpacity: 0.9,
        fillColor: COLOURS[m.state] || COLOURS.off,
        className: "marker m-" + m.state + " desk-" + m.id
      });
      // Units carry their name always, so the map reads without tiles too.
      marker.bindTooltip(label, { permanent: m.unit || (names && (!crowded ||
                                  m.state === "short")), direction: "top",
                                  className: m.unit ? "unit-label" : "" });
      if (m.unit) {
        marker.on("click", function () { go(m.id, 0); });
      }
      marker.addTo(markers);
      points.push([m.lat, m.lon]);
    });
    if (view.fitted !== data.unit && points.length) {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 14 });
      view.fitted = data.unit;
    }
    var missing = $("missing");
    missing.hidden = data.map.missing.length === 0;
    missing.textContent = fill(data.labels.no_coords, { names: data.map.missing.join(", ") });
  }

  function drawBoard(data) {
    var board = data.board;
    text("board-header", board.header);
    text("board-by", board.by);
    var list = $("board");
    clear(list);
    board.lines.forEach(function (line) {
      var li = item(line.text, line.state);
      if (line.unit) {
        var open = document.createElement("button");
        open.type = "button";
        open.textContent = "🔎";
        open.addEventListener("click", function () { go(line.unit, 0); });
        li.appendChild(open);
      }
      list.appendChild(li);
    });
    var up = $("up");
    up.hidden = !board.up;
    if (board.up) {
      up.textContent = board.up.text;
      up.onclick = function () { go(board.up.unit, 0); };
    }
    $("pager").hidden = board.pages < 2;
    text("pageno", (board.page + 1) + "/" + board.pages);
    $("prev").disabled = board.page === 0;
    $("next").disabled = board.page + 1 >= board.pages;
  }

  function drawAlerts(data) {
    text("alerts-title", fill(data.labels.alerts, { n: data.alerts.total }));
    var list = $("alerts");
    clear(list);
    data.alerts.items.forEach(function (a) {
      var li = item(a.text, "short");
      li.id = "alert-" + a.id;
      if (a.taken) {
        var who = document.createElement("small");
        who.textContent = a.taken;
        li.appendChild(who);
      } else {
        var take = document.createElement("button");
        take.type = "button";
        take.className = "take";
        take.textContent = data.labels.ack;
        take.addEventListener("click", function () { takeAlert(a.id, take); });
        li.appendChild(take);
      }
      list.appendChild(li);
    });
    if (!data.alerts.items.length) { list.appendChild(item(data.labels.none, "off")); }
  }

  function drawReports(data) {
    text("reports-title", fill(data.labels.reports, { n: data.reports.total }));
    var list = $("reports");
    clear(list);
    data.reports.items.forEach(function (r) {
      var li = item(r.text, "sev-" + r.severity);
      var by = document.createElement("small");
      by.textContent = r.by;
      li.appendChild(by);
      list.appendChild(li);
    });
    if (!data.reports.items.length) { list.appendChild(item(data.labels.none, "off")); }
  }

  function drawTimeline(data) {
    var list = $("timeline");
    clear(list);
    data.timeline.forEach(function (line) { list.appendChild(item(line)); });
    if (!data.timeline.length) { list.appendChild(item(data.labels.none, "off")); }
  }

  function draw(data) {
    state = data;
    document.documentElement.lang = data.lang;
    document.title = data.labels.title;
    text("title", data.labels.title);
    text("asof", data.asof);
    text("fullscreen", data.labels.fullscreen);
    text("signout", data.labels.signout);
    text("legend", data.labels.legend);
    text("board-title", data.labels.board);
    text("timeline-title", data.labels.timeline);
    text("prev", data.labels.prev);
    text("next", data.labels.next);
    text("offline", data.labels.offline);
    drawMap(data);
    drawBoard(data);
    drawAlerts(data);
    drawReports(data);
    drawTimeline(data);
  }

  function query() {
    var params = new URLSearchParams();
    if (view.unit !== null) { params.set("unit", view.unit); }
    if (view.page) { params.set("page", view.page); }
    return "/api/state?" + params.toString();
  }

  function poll() {
    window.clearTimeout(timer);
    fetch(query(), { credentials: "same-origin", cache: "no-store" }).then(function (answer) {
      if (answer.status === 401) { window.location.replace("/"); return null; }
      if (answer.status === 403) { view.unit = null; view.page = 0; return null; }
      if (!answer.ok) { throw new Error("status " + answer.status); }
      return answer.json();
    }).then(function (data) {
      $("offline").hidden = true;
      if (data) { draw(data); }
    }).catch(function () {
      $("offline").hidden = false;  // the bot may be restarting: keep asking
    }).then(function () {
      timer = window.setTimeout(poll, POLL_MS);
    });
  }

  function go(unit, page) {
    view.unit = unit;
    view.page = page;
    poll();
  }

  function notice(message) {
    var box = $("notice");
    box.textContent = message;
    box.hidden = !message;
  }

  function post(url) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json",
                 "X-CSRF-Token": state ? state.csrf : "" },
      body: "{}"
    });
  }

  function takeAlert(id, button) {
    button.disabled = true;
    post("/api/alerts/" + id + "/ack").then(function (answer) {
      if (answer.status === 401) { window.location.replace("/"); return null; }
      return answer.json();
    }).then(function (result) {
      if (result) { notice(result.text); }
      poll();
    }).catch(function () { button.disabled = false; });
  }

  $("prev").addEventListener("click", function () { go(view.unit, Math.max(0, view.page - 1)); });
  $("next").addEventListener("click", function () { go(view.unit, view.page + 1); });
  $("signout").addEventListener("click", function () {
    post("/auth/logout").then(function () { window.location.replace("/"); });
  });
  $("fullscreen").addEventListener("click", function () {
    document.body.classList.add("wall");
    if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { return null; });
    }
    if (map) { window.setTimeout(function () { map.invalidateSize(); }, 300); }
  });
  // Leaving the wall screen: Escape, or a double click anywhere.
  function leaveWall() {
    document.body.classList.remove("wall");
    if (map) { window.setTimeout(function () { map.invalidateSize(); }, 300); }
  }
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) { leaveWall(); }
  });
  document.addEventListener("dblclick", function () {
    if (document.body.classList.contains("wall")) {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { leaveWall(); }
    }
  });
  poll();
}());
