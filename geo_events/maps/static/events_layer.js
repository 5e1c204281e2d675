/* geo_events: events drawn on one canvas, filtered, binned per view, with popups and downloads.
 *
 * One layer for every map size. The events arrive once as a columnar payload (typed arrays
 * in base64, strings in per-column tables, see geo_events/maps/payload.py). Each redraw
 * projects the events that pass the filters, and draws them one by one when few are in
 * view, or binned into screen cells (a count per cell, coloured by its commonest type) when
 * many are: no DOM element per event, so a million events pan and zoom.
 *
 * Every text from the events reaches the page through textContent or createTextNode, never
 * innerHTML: event text is untrusted.
 */
(function () {
  'use strict';
  if (!window.L || L.GeoEventsLayer) { return; }

  var DAY_MS = 86400000;
  var GEO_LABELS = ['unknown', 'exact place', 'near the place', 'region/admin area'];
  var TIME_LABELS = ['', 'day', 'within a week', 'within a month or more'];

  function b64(text, Type) {
    var bin = atob(text);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return new Type(bytes.buffer);
  }
  var TYPES = {u1: Uint8Array, u2: Uint16Array, u4: Uint32Array, i4: Int32Array};
  /* Codes: a typed array, or one value for every event ({t: 'c'}). */
  function decode(spec, n) {
    if (spec.t === 'c') {
      var same = new (spec.v > 255 ? Uint32Array : Uint8Array)(n);
      same.fill(spec.v);
      return same;
    }
    return b64(spec.b, TYPES[spec.t]);
  }
  /* Numbers: stored 0 is missing (NA), stored k is k - 1 + offset. */
  var NA = -2147483648;
  function numbers(spec, n) {
    var stored = decode(spec, n), out = new Int32Array(n), o = spec.o || 0;
    for (var i = 0; i < n; i++) { out[i] = stored[i] === 0 ? NA : stored[i] - 1 + o; }
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function dayText(d) {
    return d === NA ? '' : new Date(d * DAY_MS).toISOString().slice(0, 10);
  }
  function fmt(n) { return n.toLocaleString('en-US'); }

  /* The payload as columns: codes into string tables, numbers as typed arrays. */
  function Events(p) {
    this.n = p.n;
    this.lat = decode(p.lat, p.n);
    this.lon = decode(p.lon, p.n);
    this.cols = {};
    this.vals = {};
    for (var name in p.cols) {
      if (Object.prototype.hasOwnProperty.call(p.cols, name)) {
        this.cols[name] = decode(p.cols[name].codes, p.n);
        this.vals[name] = p.cols[name].values;
      }
    }
    this.num = {};
    for (var key in p.num) {
      if (Object.prototype.hasOwnProperty.call(p.num, key)) { this.num[key] = numbers(p.num[key], p.n); }
    }
    this.colors = p.colors;
    this.x = new Float64Array(this.n);
    this.y = new Float64Array(this.n);
    for (var i = 0; i < this.n; i++) {
      var lat = this.lat[i] / 1e5, lon = this.lon[i] / 1e5;
      var s = Math.sin(Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180);
      this.x[i] = (lon + 180) / 360;
      this.y[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
  }
  Events.prototype.text = function (col, i) {
    var c = this.cols[col];
    return c ? this.vals[col][c[i]] : '';
  };
  Events.prototype.number = function (col, i) {
    var c = this.num[col];
    if (!c) { return null; }
    var v = c[i];
    return v === NA ? null : v;
  };

  /* What a reader sees about one event: title and labelled rows (as in ACLED's tables). */
  function eventRows(E, i) {
    var type = E.text('event_type', i), sub = E.text('sub_event_type', i);
    var title = [type || 'Unknown event type', sub].filter(Boolean).join(' \u2014 ');
    var rows = [];
    var day = E.number('date', i);
    var tp = E.number('time_precision', i);
    var date = day === null ? 'unknown' : dayText(day) + (TIME_LABELS[tp] ? ' (' + TIME_LABELS[tp] + ')' : '');
    rows.push(['Date', date]);
    if (type || sub) { rows.push(['Type', title]); }
    function actor(a, assoc) {
      var name = E.text(a, i), with_ = E.text(assoc, i);
      if (name && with_) { return name + ' (with ' + with_ + ')'; }
      return name || (with_ ? '(with ' + with_ + ')' : '');
    }
    var a1 = actor('actor1', 'assoc_actor_1'), a2 = actor('actor2', 'assoc_actor_2');
    if (a1) { rows.push(['Actor 1', a1]); }
    if (a2) { rows.push(['Actor 2', a2]); }
    var place = E.text('location', i);
    var admin = ['admin2', 'admin1', 'country'].map(function (c) { return E.text(c, i); })
      .filter(function (v) { return v && v !== place; });
    if (place || admin.length) {
      rows.push(['Location', [place ? '\u201c' + place + '\u201d' : '', admin.join(', ')]
        .filter(Boolean).join(' \u2014 ')]);
    }
    var gp = E.number('geo_precision', i);
    var geo = [];
    if (gp !== null) { geo.push(gp + ' (' + (GEO_LABELS[gp] || 'unknown') + ')'); }
    var unc = E.number('uncertainty_km', i);
    if (unc) { geo.push('within ~' + unc + ' km'); }
    var match = E.text('match_type', i);
    if (match) { geo.push('matched ' + match); }
    if (geo.length) { rows.push(['Geo precision', geo.join('; ')]); }
    var fat = E.number('fatalities', i);
    rows.push(['Fatalities', fat === null ? 'unknown' : String(fat)]);
    var status = E.text('claim_status', i), claim = [];
    if (status) { claim.push(status === 'denied' ? 'DENIED' : status); }
    if (E.text('reported_by', i)) { claim.push('reported/claimed by ' + E.text('reported_by', i)); }
    if (E.text('denied_by', i)) { claim.push('denied by ' + E.text('denied_by', i)); }
    if (claim.length) { rows.push(['Claim', claim.join('; ')]); }
    ['source', 'evidence', 'notes'].forEach(function (c) {
      var v = E.text(c, i);
      if (v) { rows.push([c.charAt(0).toUpperCase() + c.slice(1), c === 'evidence' ? '\u201c' + v + '\u201d' : v]); }
    });
    var id = E.text('event_id_cnty', i), conf = E.number('confidence', i);
    if (conf !== null) { id = (id ? id + ' ' : '') + '(confidence ' + (conf / 100).toFixed(2) + ')'; }
    if (id) { rows.push(['Event ID', id]); }
    return {title: title, rows: rows, denied: status === 'denied', place: place || admin[0] || ''};
  }

  function popupNode(E, i) {
    var info = eventRows(E, i);
    var d = el('div', 'ge-popup');
    var h = el('div', 'ge-title', info.title);
    h.style.borderLeftColor = E.colors[E.cols.event_type[i]];
    d.appendChild(h);
    if (info.denied) { d.appendChild(el('div', 'ge-badge', 'DENIED')); }
    var tb = el('table');
    info.rows.forEach(function (r) {
      var tr = el('tr', info.denied && r[0] === 'Claim' ? 'ge-denied' : '');
      tr.appendChild(el('th', '', r[0]));
      tr.appendChild(el('td', '', r[1]));
      tb.appendChild(tr);
    });
    d.appendChild(tb);
    return d;
  }

  /* Filters: each group either passes an event or sets its bit in the event's fail mask. */
  var GROUPS = ['type', 'sub', 'actor', 'date', 'claim', 'precision'];

  L.GeoEventsLayer = L.Layer.extend({
    options: {
      pane: 'geoEventsPane',
      markerThreshold: 4000,
      cluster: true,
      cellSize: 44,
      sizeByFatalities: false,
      deniedOpacity: 0.45,
      title: 'Events',
      notes: [],
      panel: true,
      collapsed: false,
      timeSlider: true,
      maxZoom: 18
    },

    initialize: function (payload, options) {
      L.setOptions(this, options);
      this.E = new Events(payload);
      this.fail = new Uint8Array(this.E.n);
      this.filters = {types: null, subs: null, actor: '', from: null, to: null, claims: null, precisions: null};
      this._drawn = null;
      this._counts = null;
      this._dateRange();
      this._applyFilters();
      this._totals = this._counts;
    },

    _dateRange: function () {
      var d = this.E.num.date, lo = Infinity, hi = -Infinity;
      if (d) {
        for (var i = 0; i < d.length; i++) {
          if (d[i] !== NA) { if (d[i] < lo) { lo = d[i]; } if (d[i] > hi) { hi = d[i]; } }
        }
      }
      this.dateMin = lo === Infinity ? null : lo;
      this.dateMax = hi === -Infinity ? null : hi;
    },

    /* Recompute every event's fail mask and the counts per filter value. */
    _applyFilters: function () {
      var E = this.E, f = this.filters, n = E.n, fail = this.fail;
      var T = E.cols.event_type, S = E.cols.sub_event_type, C = E.cols.claim_status;
      var P = E.num.geo_precision, D = E.num.date;
      var a1 = E.cols.actor1, a2 = E.cols.actor2;
      var actorHit1 = null, actorHit2 = null;
      if (f.actor) {
        var needle = f.actor.toLowerCase();
        var hit = function (vals) {
          var out = new Uint8Array(vals.length);
          for (var k = 0; k < vals.length; k++) { out[k] = vals[k] && vals[k].toLowerCase().indexOf(needle) >= 0 ? 1 : 0; }
          return out;
        };
        actorHit1 = hit(E.vals.actor1);
        actorHit2 = hit(E.vals.actor2);
      }
      var counts = {
        type: new Int32Array(E.vals.event_type.length),
        sub: new Int32Array(E.vals.sub_event_type.length),
        claim: new Int32Array(E.vals.claim_status.length),
        precision: new Int32Array(4)
      };
      var shown = 0;
      for (var i = 0; i < n; i++) {
        var m = 0;
        if (f.types && !f.types[T[i]]) { m |= 1; }
        if (f.subs && !f.subs[S[i]]) { m |= 2; }
        if (actorHit1 && !actorHit1[a1[i]] && !actorHit2[a2[i]]) { m |= 4; }
        if ((f.from !== null || f.to !== null) && D) {
          var day = D[i];
          if (day === NA || (f.from !== null && day < f.from) || (f.to !== null && day > f.to)) { m |= 8; }
        }
        if (f.claims && !f.claims[C[i]]) { m |= 16; }
        var pc = P && P[i] !== NA ? P[i] : 0;
        if (f.precisions && !f.precisions[pc]) { m |= 32; }
        fail[i] = m;
        if (m === 0) { shown++; }
        if ((m & ~1) === 0) { counts.type[T[i]]++; }
        if ((m & ~2) === 0) { counts.sub[S[i]]++; }
        if ((m & ~16) === 0) { counts.claim[C[i]]++; }
        if ((m & ~32) === 0) { counts.precision[pc]++; }
      }
      this._counts = counts;
      this.shown = shown;
    },

    setFilters: function (changes) {
      for (var k in changes) {
        if (Object.prototype.hasOwnProperty.call(changes, k)) { this.filters[k] = changes[k]; }
      }
      this._applyFilters();
      this._refreshPanel();
      this.redraw();
      this.fire('filterchange', {shown: this.shown});
      return this;
    },

    onAdd: function (map) {
      if (!map.getPane(this.options.pane)) {
        map.createPane(this.options.pane).style.zIndex = 450;
      }
      this._canvas = L.DomUtil.create('canvas', 'ge-canvas leaflet-zoom-hide');
      map.getPane(this.options.pane).appendChild(this._canvas);
      map.on('moveend resize viewreset', this.redraw, this);
      map.on('zoomstart', this._hide, this);
      map.on('click', this._onClick, this);
      map.on('mousemove', this._onMove, this);
      if (this.options.panel) {
        this._panel = this._makePanel();
        this._panel.addTo(map);
      }
      this.redraw();
    },

    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off('moveend resize viewreset', this.redraw, this);
      map.off('zoomstart', this._hide, this);
      map.off('click', this._onClick, this);
      map.off('mousemove', this._onMove, this);
      if (this._panel) { this._panel.remove(); this._panel = null; }
    },

    _hide: function () { if (this._canvas) { this._canvas.style.visibility = 'hidden'; } },

    /* Which events are in view, as screen points; wraps longitudes onto the visible world copy. */
    _project: function (visit) {
      var map = this._map, E = this.E, fail = this.fail;
      var size = map.getSize(), topLeft = map.containerPointToLayerPoint([0, 0]);
      var origin = map.getPixelOrigin().add(topLeft);
      var scale = 256 * Math.pow(2, map.getZoom());
      var pad = 30, W = size.x, H = size.y;
      for (var i = 0; i < E.n; i++) {
        if (fail[i]) { continue; }
        var px = E.x[i] * scale - origin.x, py = E.y[i] * scale - origin.y;
        if (py < -pad || py > H + pad) { continue; }
        if (scale > W + 2 * pad) {
          px = ((px + pad) % scale + scale) % scale - pad;
          if (px > W + pad) { continue; }
          visit(i, px, py);
        } else {
          for (var k = Math.floor((-pad - px) / scale) + 1; px + k * scale <= W + pad; k++) {
            visit(i, px + k * scale, py);
          }
        }
      }
      return {W: W, H: H, topLeft: topLeft, scale: scale};
    },

    visibleIndices: function () {
      var seen = new Uint8Array(this.E.n), out = [];
      this._project(function (i) { if (!seen[i]) { seen[i] = 1; out.push(i); } });
      return out;
    },

    redraw: function () {
      if (!this._map) { return this; }
      var map = this._map, E = this.E, o = this.options;
      var inView = 0;
      var view = this._project(function () { inView++; });
      var ratio = window.devicePixelRatio || 1;
      var c = this._canvas;
      c.width = view.W * ratio; c.height = view.H * ratio;
      c.style.width = view.W + 'px'; c.style.height = view.H + 'px';
      L.DomUtil.setPosition(c, view.topLeft);
      c.style.visibility = '';
      var ctx = c.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, view.W, view.H);
      this.inView = inView;
      if (!o.cluster || inView <= o.markerThreshold || map.getZoom() >= o.maxZoom) {
        this._drawPoints(ctx, inView, view);
      } else {
        this._drawCells(ctx, view);
      }
      this._refreshStatus();
      return this;
    },

    _radius: function (i) {
      if (!this.options.sizeByFatalities) { return 6; }
      var f = this.E.number('fatalities', i);
      return f === null ? 5 : Math.min(22, 5 + 2.2 * Math.sqrt(f));
    },

    _drawPoints: function (ctx, count, view) {
      var E = this.E, self = this, o = this.options;
      var idx = new Int32Array(count), xs = new Float32Array(count), ys = new Float32Array(count);
      var k = 0;
      this._project(function (i, px, py) { idx[k] = i; xs[k] = px; ys[k] = py; k++; });
      var unc = E.num.uncertainty_km, metresPerPx = 40075016.686 / view.scale;
      // Uncertainty first, under every point: a halo the size of the area the place stands for.
      if (unc) {
        // One path per event type holding every halo, filled once: the shading is the union
        // of the areas ("somewhere in here"), not darker where more events are, and the cost
        // is one fill per type however many halos there are. A halo that holds the whole
        // view is left out: its edge is off screen, so it would only tint everything.
        var paths = {}, W = view.W, H = view.H;
        for (var h = 0; h < count; h++) {
          var km = unc[idx[h]];
          if (km <= 0) { continue; }
          var lat = E.lat[idx[h]] / 1e5;
          var r = km * 1000 / (metresPerPx * Math.cos(lat * Math.PI / 180));
          if (r < 8) { continue; }
          var fx = Math.max(xs[h], W - xs[h]), fy = Math.max(ys[h], H - ys[h]);
          if (r * r > fx * fx + fy * fy) { continue; }
          var t = E.cols.event_type[idx[h]];
          var path = paths[t] || (paths[t] = new Path2D());
          path.moveTo(xs[h] + r, ys[h]);
          path.arc(xs[h], ys[h], r, 0, 2 * Math.PI);
        }
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 1.2;
        for (var pt in paths) {
          if (!Object.prototype.hasOwnProperty.call(paths, pt)) { continue; }
          var color = E.colors[pt];
          ctx.globalAlpha = 0.07; ctx.fillStyle = color; ctx.fill(paths[pt]);
          ctx.globalAlpha = 0.6; ctx.strokeStyle = color; ctx.stroke(paths[pt]);
        }
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
      }
      var radii = new Float32Array(count);
      for (var j = 0; j < count; j++) {
        var i = idx[j], denied = E.cols.claim_status && E.vals.claim_status[E.cols.claim_status[i]] === 'denied';
        var approx = unc && unc[i] > 0;
        var rad = radii[j] = self._radius(i);
        ctx.beginPath();
        ctx.arc(xs[j], ys[j], rad, 0, 2 * Math.PI);
        ctx.globalAlpha = denied ? o.deniedOpacity : 0.92;
        ctx.fillStyle = E.colors[E.cols.event_type[i]];
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = approx ? 1.5 : 2;
        ctx.setLineDash(denied ? [2, 2] : (approx ? [3, 2] : []));
        ctx.strokeStyle = denied ? '#222' : '#fff';
        ctx.stroke();
      }
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
      this._drawn = {kind: 'points', idx: idx, x: xs, y: ys, r: radii, n: count};
    },

    _drawCells: function (ctx, view) {
      var E = this.E, cell = this.options.cellSize;
      var cols = Math.ceil((view.W + 60) / cell) + 1, rows = Math.ceil((view.H + 60) / cell) + 1;
      var nt = E.vals.event_type.length, T = E.cols.event_type;
      var count = new Int32Array(cols * rows), sx = new Float64Array(cols * rows), sy = new Float64Array(cols * rows);
      var types = new Int32Array(cols * rows * nt), first = new Int32Array(cols * rows);
      this._project(function (i, px, py) {
        var c = Math.floor((px + 30) / cell), r = Math.floor((py + 30) / cell);
        if (c < 0 || r < 0 || c >= cols || r >= rows) { return; }
        var key = r * cols + c;
        if (count[key] === 0) { first[key] = i; }
        count[key]++; sx[key] += px; sy[key] += py; types[key * nt + T[i]]++;
      });
      var cx = [], cy = [], cn = [], cr = [], cf = [];
      ctx.font = 'bold 11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (var key = 0; key < count.length; key++) {
        var n = count[key];
        if (!n) { continue; }
        var best = 0;
        for (var t = 1; t < nt; t++) { if (types[key * nt + t] > types[key * nt + best]) { best = t; } }
        var x = sx[key] / n, y = sy[key] / n;
        var r = n === 1 ? 6 : Math.min(cell * 0.45, 8 + 3 * Math.log(n));
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.globalAlpha = 0.85;
        ctx.fillStyle = E.colors[best];
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = 2;
        ctx.strokeStyle = '#fff';
        ctx.stroke();
        if (n > 1) {
          ctx.fillStyle = '#fff';
          ctx.fillText(n >= 10000 ? Math.round(n / 1000) + 'k' : String(n), x, y);
        }
        cx.push(x); cy.push(y); cn.push(n); cr.push(r); cf.push(first[key]);
      }
      this._drawn = {kind: 'cells', x: cx, y: cy, count: cn, r: cr, first: cf, n: cx.length};
    },

    /* The drawn item under a screen point: an event index, or a cell to zoom into. */
    _hit: function (pt) {
      var d = this._drawn;
      if (!d) { return null; }
      var best = -1, bestD = Infinity;
      for (var k = d.n - 1; k >= 0; k--) {
        var dx = d.x[k] - pt.x, dy = d.y[k] - pt.y, dist = dx * dx + dy * dy, r = d.r[k] + 4;
        if (dist <= r * r && dist < bestD) { best = k; bestD = dist; }
      }
      if (best < 0) { return null; }
      return d.kind === 'points' ? {event: d.idx[best]} :
        (d.count[best] === 1 ? {event: d.first[best]} : {cell: best, x: d.x[best], y: d.y[best]});
    },

    _onMove: function (e) {
      var hit = this._hit(e.containerPoint);
      this._map.getContainer().style.cursor = hit ? 'pointer' : '';
    },

    _popupPadding: function () {
      var right = this._panel && this._panel.getContainer() ? this._panel.getContainer().offsetWidth + 24 : 12;
      return {autoPanPaddingTopLeft: L.point(12, 12), autoPanPaddingBottomRight: L.point(right, 12)};
    },

    _onClick: function (e) {
      var hit = this._hit(e.containerPoint);
      if (!hit) { return; }
      if (hit.cell !== undefined) {
        var center = this._map.containerPointToLatLng([hit.x, hit.y]);
        this._map.setView(center, Math.min(this._map.getZoom() + 2, this._map.getMaxZoom()));
        return;
      }
      this.openPopup(hit.event);
    },

    openPopup: function (i) {
      var E = this.E;
      var opts = L.extend({maxWidth: 360, className: 'ge-leaflet-popup'}, this._popupPadding());
      this._popup = L.popup(opts)
        .setLatLng([E.lat[i] / 1e5, E.lon[i] / 1e5])
        .setContent(popupNode(E, i))
        .openOn(this._map);
      this.fire('eventpopup', {index: i});
      return this._popup;
    },

    /* Downloads of what is visible: passing the filters and inside the current view. */
    visibleRecords: function () {
      var E = this.E, out = [];
      var idx = this.visibleIndices();
      for (var k = 0; k < idx.length; k++) {
        var i = idx[k], day = E.number('date', i);
        out.push({
          event_id_cnty: E.text('event_id_cnty', i),
          event_date: day === null ? '' : dayText(day),
          event_type: E.text('event_type', i),
          sub_event_type: E.text('sub_event_type', i),
          actor1: E.text('actor1', i),
          actor2: E.text('actor2', i),
          location: E.text('location', i),
          admin1: E.text('admin1', i),
          country: E.text('country', i),
          latitude: E.lat[i] / 1e5,
          longitude: E.lon[i] / 1e5,
          geo_precision: E.number('geo_precision', i),
          fatalities: E.number('fatalities', i),
          claim_status: E.text('claim_status', i),
          source: E.text('source', i)
        });
      }
      return out;
    },

    visibleCSV: function () {
      var recs = this.visibleRecords();
      var head = ['event_id_cnty', 'event_date', 'event_type', 'sub_event_type', 'actor1', 'actor2',
        'location', 'admin1', 'country', 'latitude', 'longitude', 'geo_precision', 'fatalities',
        'claim_status', 'source'];
      function cell(v) {
        if (v === null || v === undefined) { return ''; }
        var s = String(v);
        // A spreadsheet would run a cell starting with these as a formula: keep it text.
        if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) { s = "'" + s; }
        return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
      }
      var lines = [head.join(',')];
      recs.forEach(function (r) { lines.push(head.map(function (h) { return cell(r[h]); }).join(',')); });
      return lines.join('\r\n') + '\r\n';
    },

    visibleGeoJSON: function () {
      var feats = this.visibleRecords().map(function (r) {
        var props = L.extend({}, r);
        delete props.latitude; delete props.longitude;
        return {type: 'Feature', geometry: {type: 'Point', coordinates: [r.longitude, r.latitude]}, properties: props};
      });
      return JSON.stringify({type: 'FeatureCollection', features: feats});
    },

    download: function (format) {
      var text = format === 'csv' ? this.visibleCSV() : this.visibleGeoJSON();
      var blob = new Blob([text], {type: format === 'csv' ? 'text/csv' : 'application/geo+json'});
      var a = el('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'events.' + (format === 'csv' ? 'csv' : 'geojson');
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); L.DomUtil.remove(a); }, 0);
    },

    /* The panel: legend, filters with counts, the time slider, downloads. */
    _makePanel: function () {
      var layer = this;
      var Panel = L.Control.extend({
        options: {position: 'topright'},
        onAdd: function () { return layer._buildPanel(); }
      });
      return new Panel();
    },

    _checkGroup: function (parent, title, key, values, colors, open) {
      var layer = this;
      var box = el('details', 'ge-group');
      if (open) { box.open = true; }
      box.appendChild(el('summary', '', title));
      var items = [];
      var totals = this._totals[{types: 'type', subs: 'sub', claims: 'claim', precisions: 'precision'}[key]];
      // Most frequent first; values no event has (the empty "missing" entry of a fully
      // filled column) get no row.
      var order = values.map(function (v, k) { return k; })
        .filter(function (k) { return totals[k] > 0; })
        .sort(function (a, b) { return totals[b] - totals[a]; });
      if (key === 'precisions') { order.sort(); }
      order.forEach(function (k) {
        var v = values[k];
        var row = el('label', 'ge-row');
        var cb = el('input');
        cb.type = 'checkbox';
        cb.checked = true;
        cb.setAttribute('data-value', String(k));
        cb.addEventListener('change', function () {
          var sel = {}, all = true;
          items.forEach(function (it) { sel[it.k] = it.cb.checked; all = all && it.cb.checked; });
          var change = {};
          change[key] = all ? null : sel;
          layer.setFilters(change);
        });
        row.appendChild(cb);
        if (colors) {
          var sw = el('span', 'ge-swatch');
          sw.style.background = colors[k];
          row.appendChild(sw);
        }
        row.appendChild(el('span', 'ge-name', v === '' ? '(none)' : v));
        var cnt = el('span', 'ge-count');
        row.appendChild(cnt);
        box.appendChild(row);
        items.push({k: k, cb: cb, count: cnt, row: row});
      });
      parent.appendChild(box);
      return items;
    },

    _buildPanel: function () {
      var layer = this, E = this.E, o = this.options;
      var root = el('div', 'ge-panel leaflet-bar');
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      var head = el('div', 'ge-head');
      var title = el('span', 'ge-panel-title', o.title + ' (' + fmt(E.n) + ')');
      var toggle = el('button', 'ge-toggle', o.collapsed ? 'Show' : 'Hide');
      toggle.type = 'button';
      head.appendChild(title);
      head.appendChild(toggle);
      root.appendChild(head);
      var body = el('div', 'ge-body');
      if (o.collapsed) { body.style.display = 'none'; }
      toggle.addEventListener('click', function () {
        var hidden = body.style.display === 'none';
        body.style.display = hidden ? '' : 'none';
        toggle.textContent = hidden ? 'Hide' : 'Show';
      });
      root.appendChild(body);
      this._status = el('div', 'ge-status');
      body.appendChild(this._status);
      this._items = {};
      this._items.type = this._checkGroup(body, 'Event type', 'types', E.vals.event_type, E.colors, true);
      this._items.sub = this._checkGroup(body, 'Sub-event type', 'subs', E.vals.sub_event_type, null, false);
      // Actor: any event whose actor 1 or 2 contains the text (case-insensitive).
      var actorBox = el('details', 'ge-group');
      actorBox.appendChild(el('summary', '', 'Actor'));
      var input = el('input', 'ge-actor');
      input.type = 'search';
      input.placeholder = 'actor name contains\u2026';
      var listId = 'ge-actors-' + L.stamp(this);
      input.setAttribute('list', listId);
      var list = el('datalist');
      list.id = listId;
      (this.options.topActors || []).forEach(function (name) {
        var opt = el('option');
        opt.value = name;
        list.appendChild(opt);
      });
      var timer = null;
      input.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () { layer.setFilters({actor: input.value.trim()}); }, 200);
      });
      actorBox.appendChild(input);
      actorBox.appendChild(list);
      body.appendChild(actorBox);
      if (o.timeSlider && this.dateMin !== null) { this._buildTime(body); }
      this._items.claim = this._checkGroup(body, 'Claim status', 'claims', E.vals.claim_status, null, false);
      this._items.precision = this._checkGroup(body, 'Geo precision', 'precisions',
        ['unknown', '1 exact place', '2 near the place', '3 region/admin area'], null, false);
      var key = el('div', 'ge-key');
      var keyRows = [['ge-k-exact', 'exact place'], ['ge-k-approx', 'approximate place; halo = the area it stands for'],
        ['ge-k-denied', 'denied claim (faded, dashed)'], ['ge-k-cell', 'many events: count per area, click to zoom']];
      keyRows.forEach(function (r) {
        var row = el('div', 'ge-row');
        row.appendChild(el('span', 'ge-keymark ' + r[0]));
        row.appendChild(el('span', '', r[1]));
        key.appendChild(row);
      });
      body.appendChild(key);
      (o.notes || []).forEach(function (n) { body.appendChild(el('div', 'ge-note', n)); });
      var dl = el('div', 'ge-download');
      dl.appendChild(el('span', '', 'Download visible: '));
      ['csv', 'geojson'].forEach(function (fmtName) {
        var b = el('button', 'ge-dl-' + fmtName, fmtName === 'csv' ? 'CSV' : 'GeoJSON');
        b.type = 'button';
        b.addEventListener('click', function () { layer.download(fmtName); });
        dl.appendChild(b);
      });
      var reset = el('button', 'ge-reset', 'Reset filters');
      reset.type = 'button';
      reset.addEventListener('click', function () { layer.resetFilters(); });
      dl.appendChild(reset);
      body.appendChild(dl);
      this._panelRoot = root;
      setTimeout(function () { layer._refreshPanel(); }, 0);
      return root;
    },

    _buildTime: function (body) {
      var layer = this, lo = this.dateMin, hi = this.dateMax;
      var box = el('details', 'ge-group ge-time');
      box.open = true;
      box.appendChild(el('summary', '', 'Dates'));
      var label = el('div', 'ge-time-label');
      var from = el('input', 'ge-from'), to = el('input', 'ge-to');
      [from, to].forEach(function (r) { r.type = 'range'; r.min = lo; r.max = hi; r.step = 1; });
      from.value = lo; to.value = hi;
      function update(fromUser) {
        var a = +from.value, b = +to.value;
        if (a > b) { if (fromUser === from) { to.value = a; b = a; } else { from.value = b; a = b; } }
        label.textContent = dayText(a) + ' \u2013 ' + dayText(b);
        layer.setFilters({from: a === lo ? null : a, to: b === hi ? null : b});
      }
      from.addEventListener('input', function () { update(from); });
      to.addEventListener('input', function () { update(to); });
      label.textContent = dayText(lo) + ' \u2013 ' + dayText(hi);
      var play = el('button', 'ge-play', '\u25b6 Play');
      play.type = 'button';
      var timer = null;
      play.addEventListener('click', function () {
        if (timer) { clearInterval(timer); timer = null; play.textContent = '\u25b6 Play'; return; }
        var width = Math.max(1, +to.value - +from.value);
        if (width >= hi - lo) { width = Math.max(1, Math.round((hi - lo) / 10)); }
        var step = Math.max(1, Math.round((hi - lo) / 60));
        from.value = lo; to.value = lo + width;
        play.textContent = '\u275a\u275a Pause';
        timer = setInterval(function () {
          if (+to.value >= hi) { clearInterval(timer); timer = null; play.textContent = '\u25b6 Play'; return; }
          from.value = Math.min(hi, +from.value + step); to.value = Math.min(hi, +to.value + step);
          update(null);
        }, 600);
        update(null);
      });
      box.appendChild(label);
      box.appendChild(from);
      box.appendChild(to);
      box.appendChild(play);
      body.appendChild(box);
      this._time = {from: from, to: to, label: label, lo: lo, hi: hi};
    },

    resetFilters: function () {
      var root = this._panelRoot;
      if (root) {
        var boxes = root.querySelectorAll('input[type=checkbox]');
        for (var i = 0; i < boxes.length; i++) { boxes[i].checked = true; }
        var actor = root.querySelector('.ge-actor');
        if (actor) { actor.value = ''; }
      }
      if (this._time) {
        this._time.from.value = this._time.lo; this._time.to.value = this._time.hi;
        this._time.label.textContent = dayText(this._time.lo) + ' \u2013 ' + dayText(this._time.hi);
      }
      return this.setFilters({types: null, subs: null, actor: '', from: null, to: null, claims: null, precisions: null});
    },

    _refreshPanel: function () {
      if (!this._items || !this._counts) { return; }
      var totals = this._counts;
      var groups = {type: totals.type, sub: totals.sub, claim: totals.claim, precision: totals.precision};
      for (var g in groups) {
        if (!Object.prototype.hasOwnProperty.call(groups, g) || !this._items[g]) { continue; }
        var counts = groups[g];
        this._items[g].forEach(function (it) {
          var c = counts[it.k] || 0;
          it.count.textContent = fmt(c);
          it.row.classList.toggle('ge-empty', c === 0);
        });
      }
      this._refreshStatus();
    },

    _refreshStatus: function () {
      if (!this._status) { return; }
      var text = fmt(this.shown) + ' of ' + fmt(this.E.n) + ' events pass the filters';
      if (this.inView !== undefined) { text += '; ' + fmt(this.inView) + ' in view'; }
      this._status.textContent = text;
    }
  });

  L.geoEventsLayer = function (payload, options) { return new L.GeoEventsLayer(payload, options); };
  L.GeoEventsLayer.GROUPS = GROUPS;
}());
