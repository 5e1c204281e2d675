/* geo_events: a base map drawn from installed data — land, borders and place names.
 *
 * The data (geo_events/maps/geography.py) holds country outlines at two levels of detail,
 * delta-encoded integers, and place labels as columns with the first zoom each is shown
 * at. Each view is drawn once on one canvas: the outlines at the level the zoom needs,
 * then the labels in priority order, each skipped where it would overlap one already
 * drawn. Names come from data packages, are drawn with fillText and never become HTML.
 */
(function () {
  'use strict';
  if (!window.L || L.GeoEventsGeography) { return; }

  var SEA = '#cddfea', LAND = '#f3f0e8', BORDER = '#a39a8f', COAST = '#8aa5b5';
  /* Per label kind (country, capital, city, admin-1): font, colour, dot radius. */
  var KIND_STYLE = [
    {font: '600 12px sans-serif', color: '#5d554c', dot: 0, upper: true},
    {font: '600 11px sans-serif', color: '#222', dot: 3},
    {font: '11px sans-serif', color: '#333', dot: 2},
    {font: 'italic 10px sans-serif', color: '#8c7f72', dot: 0}
  ];
  var DETAIL_ZOOM = 4;  /* from this zoom on, the region-level outlines */

  function mercY(lat) {
    var s = Math.sin(Math.max(-85.05, Math.min(85.05, lat)) * Math.PI / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  /* Rings in unit Web Mercator coordinates, each with its bounding box. */
  function decodeRings(rings, unit) {
    return rings.map(function (d) {
      var n = d.length / 2, xy = new Float64Array(d.length), x = 0, y = 0;
      var box = [Infinity, Infinity, -Infinity, -Infinity];
      for (var i = 0; i < n; i++) {
        x += d[2 * i]; y += d[2 * i + 1];
        var ux = (x / unit + 180) / 360, uy = mercY(y / unit);
        xy[2 * i] = ux; xy[2 * i + 1] = uy;
        if (ux < box[0]) { box[0] = ux; }
        if (uy < box[1]) { box[1] = uy; }
        if (ux > box[2]) { box[2] = ux; }
        if (uy > box[3]) { box[3] = uy; }
      }
      return {xy: xy, box: box};
    });
  }

  L.GeoEventsGeography = L.Layer.extend({
    options: {pane: 'geoEventsGeography', labels: true, decimals: [1, 2]},

    initialize: function (data, options) {
      L.setOptions(this, options);
      var dec = this.options.decimals;
      this._levels = [[], []];
      var self = this;
      (data.countries || []).forEach(function (row) {
        self._levels[0].push(decodeRings(row[1], Math.pow(10, dec[0])));
        self._levels[1].push(decodeRings(row[2], Math.pow(10, dec[1])));
      });
      var lab = data.labels || {name: []}, n = lab.name.length;
      this._labels = {name: lab.name, x: new Float64Array(n), y: new Float64Array(n),
                      kind: new Uint8Array(n), zoom: new Uint8Array(n), n: n};
      for (var i = 0; i < n; i++) {
        this._labels.x[i] = (lab.lon[i] / 100 + 180) / 360;
        this._labels.y[i] = mercY(lab.lat[i] / 100);
        this._labels.kind[i] = Math.floor(lab.kz[i] / 10);
        this._labels.zoom[i] = lab.kz[i] % 10;
      }
      this._attribution = data.attribution || '';
    },

    getAttribution: function () { return this._attribution; },

    onAdd: function (map) {
      if (!map.getPane(this.options.pane)) {
        map.createPane(this.options.pane).style.zIndex = 150;
      }
      this._canvas = L.DomUtil.create('canvas', 'leaflet-zoom-hide');
      map.getPane(this.options.pane).appendChild(this._canvas);
      this._background = map.getContainer().style.background;
      map.getContainer().style.background = SEA;
      map.on('moveend resize viewreset', this.redraw, this);
      map.on('zoomstart', this._hide, this);
      this.redraw();
    },

    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.getContainer().style.background = this._background;
      map.off('moveend resize viewreset', this.redraw, this);
      map.off('zoomstart', this._hide, this);
    },

    _hide: function () { if (this._canvas) { this._canvas.style.visibility = 'hidden'; } },

    /* The horizontal world copies in view: offsets in pixels. */
    _copies: function (originX, scale, W) {
      var first = Math.floor(originX / scale), last = Math.floor((originX + W) / scale);
      var out = [];
      for (var k = first; k <= last; k++) { out.push(k * scale - originX); }
      return out;
    },

    redraw: function () {
      if (!this._map) { return this; }
      var map = this._map, size = map.getSize(), W = size.x, H = size.y;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      var origin = map.getPixelOrigin().add(topLeft);
      var zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
      var ratio = window.devicePixelRatio || 1, c = this._canvas;
      c.width = W * ratio; c.height = H * ratio;
      c.style.width = W + 'px'; c.style.height = H + 'px';
      L.DomUtil.setPosition(c, topLeft);
      c.style.visibility = '';
      var ctx = c.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, W, H);
      var copies = this._copies(origin.x, scale, W);
      this._drawLand(ctx, zoom < DETAIL_ZOOM ? 0 : 1, copies, origin.y, scale, W, H);
      if (this.options.labels) { this._drawLabels(ctx, copies, origin.y, scale, zoom, W, H); }
      return this;
    },

    _drawLand: function (ctx, level, copies, oy, scale, W, H) {
      var countries = this._levels[level];
      ctx.lineJoin = 'round';
      for (var pass = 0; pass < 2; pass++) {
        for (var c = 0; c < countries.length; c++) {
          ctx.beginPath();
          var any = false;
          for (var r = 0; r < countries[c].length; r++) {
            var ring = countries[c][r], b = ring.box, xy = ring.xy;
            if (b[3] * scale - oy < 0 || b[1] * scale - oy > H) { continue; }
            for (var k = 0; k < copies.length; k++) {
              var dx = copies[k];
              if (b[2] * scale + dx < 0 || b[0] * scale + dx > W) { continue; }
              any = true;
              ctx.moveTo(xy[0] * scale + dx, xy[1] * scale - oy);
              for (var i = 2; i < xy.length; i += 2) {
                ctx.lineTo(xy[i] * scale + dx, xy[i + 1] * scale - oy);
              }
              ctx.closePath();
            }
          }
          if (!any) { continue; }
          if (pass === 0) {
            ctx.fillStyle = LAND; ctx.fill();
            ctx.strokeStyle = COAST; ctx.lineWidth = 1.2; ctx.stroke();
          } else {
            ctx.strokeStyle = BORDER; ctx.lineWidth = 0.8; ctx.stroke();
          }
        }
      }
    },

    _drawLabels: function (ctx, copies, oy, scale, zoom, W, H) {
      var L_ = this._labels, placed = [], tried = 0;
      ctx.textBaseline = 'middle';
      for (var i = 0; i < L_.n && tried < 3000; i++) {
        if (L_.zoom[i] > zoom) { continue; }
        var y = L_.y[i] * scale - oy;
        if (y < -10 || y > H + 10) { continue; }
        for (var k = 0; k < copies.length; k++) {
          var x = L_.x[i] * scale + copies[k];
          if (x < -100 || x > W + 100) { continue; }
          tried++;
          this._placeLabel(ctx, i, x, y, placed);
        }
      }
    },

    _placeLabel: function (ctx, i, x, y, placed) {
      var st = KIND_STYLE[this._labels.kind[i]] || KIND_STYLE[2];
      var text = String(this._labels.name[i]);
      if (st.upper) { text = text.toUpperCase(); }
      ctx.font = st.font;
      var w = ctx.measureText(text).width, h = 13;
      var left = st.dot ? x + st.dot + 3 : x - w / 2;
      var box = [left - 2, y - h / 2 - 1, left + w + 2, y + h / 2 + 1];
      for (var p = 0; p < placed.length; p++) {
        var q = placed[p];
        if (box[0] < q[2] && box[2] > q[0] && box[1] < q[3] && box[3] > q[1]) { return; }
      }
      placed.push(box);
      if (st.dot) {
        ctx.beginPath();
        ctx.arc(x, y, st.dot, 0, 2 * Math.PI);
        ctx.fillStyle = st.color; ctx.fill();
      }
      ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.85)';
      ctx.strokeText(text, left, y);
      ctx.fillStyle = st.color;
      ctx.fillText(text, left, y);
    }
  });

  L.geoEventsGeography = function (data, options) {
    return new L.GeoEventsGeography(data, options);
  };
}());
