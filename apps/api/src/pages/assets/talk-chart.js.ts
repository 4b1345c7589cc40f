/**
 * Talk over time as SVG (served at /assets/talk-chart.js): one stacked bar per 5-minute bin of a
 * session's talk-time report (tutor, learners, parents, unattributed), axes in minutes, and a
 * sparkline for a trend. Built with DOM calls (createElementNS), no library and no inline style
 * (colours come from classes in the page's CSS, as the CSP allows no style attributes). Each chart
 * is an image to assistive technology (`role="img"`) described in words by its `<title>`.
 */
export const TALK_CHART_JS = String.raw`(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var BIN_SECONDS = 300;
  var PARTS = [
    { key: 'tutorSeconds', cls: 'tutor', label: 'Tutor' },
    { key: 'learnerSeconds', cls: 'learners', label: 'Learners' },
    { key: 'parentSeconds', cls: 'parents', label: 'Parents' },
    { key: 'unattributedSeconds', cls: 'unattributed', label: 'Unattributed' },
  ];
  var W = 640;
  var H = 240;
  var M = { top: 14, right: 14, bottom: 46, left: 56 };
  var charts = 0;

  function node(name, attrs, parent) {
    var n = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(n);
    return n;
  }

  function label(parent, attrs, content) {
    var t = node('text', attrs, parent);
    t.textContent = content;
    return t;
  }

  function minutes(seconds) { return (Math.round(seconds / 6) / 10) + ' min'; }
  function round1(n) { return Math.round(n * 10) / 10; }

  function describe(bins, sessionSeconds) {
    var totals = PARTS.map(function (p) {
      return bins.reduce(function (sum, b) { return sum + (b[p.key] || 0); }, 0);
    });
    return 'Talk over time: ' + bins.length + ' bar' + (bins.length === 1 ? '' : 's') + ', one per 5 minutes of a ' +
      Math.round(sessionSeconds / 60) + '-minute session. In all, the tutor spoke ' + minutes(totals[0]) + ', learners ' +
      minutes(totals[1]) + ', parents ' + minutes(totals[2]) + ', unattributed ' + minutes(totals[3]) + '.';
  }

  function binTitle(bin, sessionSeconds) {
    var end = Math.min(bin.startSeconds + BIN_SECONDS, Math.max(sessionSeconds, bin.startSeconds));
    return Math.round(bin.startSeconds / 60) + '–' + Math.round(end / 60) + ' min: ' + PARTS.map(function (p) {
      return p.label.toLowerCase() + ' ' + minutes(bin[p.key] || 0);
    }).join(', ');
  }

  /** The chart of one session: a figure holding the SVG and its legend. */
  function render(bins, sessionSeconds) {
    charts += 1;
    var id = 'talk-chart-' + charts;
    var plotW = W - M.left - M.right;
    var plotH = H - M.top - M.bottom;
    var tallest = bins.reduce(function (max, b) {
      return Math.max(max, PARTS.reduce(function (sum, p) { return sum + (b[p.key] || 0); }, 0));
    }, BIN_SECONDS);
    var yMinutes = Math.ceil(tallest / 60);
    var y = function (seconds) { return M.top + plotH - (seconds / (yMinutes * 60)) * plotH; };
    var text = describe(bins, sessionSeconds);

    var svg = node('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'talk-chart', role: 'img', 'aria-labelledby': id + '-title' });
    node('title', { id: id + '-title' }, svg).textContent = text;

    var axes = node('g', { class: 'axes' }, svg);
    for (var m = 0; m <= yMinutes; m++) {
      node('line', { class: m === 0 ? 'baseline' : 'grid', x1: M.left, x2: W - M.right, y1: round1(y(m * 60)), y2: round1(y(m * 60)) }, axes);
      label(axes, { class: 'tick', x: M.left - 8, y: round1(y(m * 60)) + 4, 'text-anchor': 'end' }, String(m));
    }
    label(axes, { class: 'axis-title', transform: 'translate(16 ' + (M.top + plotH / 2) + ') rotate(-90)', 'text-anchor': 'middle' }, 'minutes of talk');

    var slot = plotW / Math.max(bins.length, 1);
    var barW = Math.min(slot * 0.72, 64);
    var every = Math.max(1, Math.ceil(bins.length / 12)); // at most a dozen labels along the bottom
    var bars = node('g', { class: 'bars' }, svg);
    bins.forEach(function (bin, i) {
      var g = node('g', { class: 'bin', 'data-start': bin.startSeconds }, bars);
      node('title', {}, g).textContent = binTitle(bin, sessionSeconds);
      var top = 0;
      PARTS.forEach(function (p) {
        var v = bin[p.key] || 0;
        if (v <= 0) return;
        node('rect', { class: 'part ' + p.cls, x: round1(M.left + i * slot + (slot - barW) / 2), y: round1(y(top + v)), width: round1(barW), height: round1(y(top) - y(top + v)) }, g);
        top += v;
      });
      if (i % every === 0) label(axes, { class: 'tick', x: round1(M.left + i * slot), y: H - M.bottom + 16, 'text-anchor': 'middle' }, String(Math.round(bin.startSeconds / 60)));
    });
    if (bins.length % every === 0) label(axes, { class: 'tick', x: W - M.right, y: H - M.bottom + 16, 'text-anchor': 'middle' }, String(Math.round(sessionSeconds / 60)));
    label(axes, { class: 'axis-title', x: M.left + plotW / 2, y: H - 8, 'text-anchor': 'middle' }, 'minutes into the session (one bar per 5 minutes)');

    var figure = document.createElement('figure');
    figure.className = 'talk-over-time';
    figure.appendChild(svg);
    var legend = document.createElement('ul');
    legend.className = 'legend';
    PARTS.forEach(function (p) {
      var li = document.createElement('li');
      var swatch = document.createElement('span');
      swatch.className = 'swatch ' + p.cls;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(p.label));
      legend.appendChild(li);
    });
    figure.appendChild(legend);
    return figure;
  }

  /** A small line of a trend's values, oldest first, with the programme median as a dashed line. */
  function sparkline(values, median, describeAs) {
    var w = 160;
    var h = 40;
    var known = values.filter(function (v) { return v !== null; });
    var svg = node('svg', { viewBox: '0 0 ' + w + ' ' + h, class: 'sparkline', role: 'img' });
    node('title', {}, svg).textContent = describeAs;
    if (known.length === 0) return svg;
    var all = median === null ? known : known.concat([median]);
    var lo = Math.min.apply(null, all);
    var hi = Math.max.apply(null, all);
    var span = hi - lo || 1;
    var yOf = function (v) { return round1(h - 6 - ((v - lo) / span) * (h - 12)); };
    var xOf = function (i) { return round1(values.length === 1 ? w / 2 : 6 + (i * (w - 12)) / (values.length - 1)); };
    if (median !== null) node('line', { class: 'median', x1: 0, x2: w, y1: yOf(median), y2: yOf(median) }, svg);
    var points = [];
    values.forEach(function (v, i) { if (v !== null) points.push(xOf(i) + ',' + yOf(v)); });
    node('polyline', { class: 'values', points: points.join(' ') }, svg);
    values.forEach(function (v, i) { if (v !== null) node('circle', { class: 'point', cx: xOf(i), cy: yOf(v), r: 2.5 }, svg); });
    return svg;
  }

  window.TalkChart = { render: render, sparkline: sparkline, BIN_SECONDS: BIN_SECONDS };
})();
`;
