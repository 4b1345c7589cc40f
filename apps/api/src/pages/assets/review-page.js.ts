/**
 * The review page's script (served at /assets/review.js, after page-kit.js). Plain ES2020 for the
 * browser, kept as a string so the build needs no asset copying; it uses no template literals so it
 * can live inside this one. With the bearer token page-kit.js read from the fragment, it plays the
 * stream with hls.js (renewing the playback token before it expires and swapping it into every
 * later request in `xhrSetup`), shows the transcript beside the player and posts the outcome;
 * review-facts.js shows talk time and safety flags.
 */
export const REVIEW_PAGE_JS = String.raw`(function () {
  'use strict';
  var K = window.PageKit; // page-kit.js: the token from the fragment, API calls, text helpers
  var recordingId = document.body.getAttribute('data-recording-id');
  var token = K.token;
  var api = K.api;
  var errorText = K.errorText;
  var say = K.say;
  var clock = K.clock;
  var video = document.getElementById('player');
  var statusLine = document.getElementById('player-status');
  var playbackPrefix = null; // "/v1/playback/<token>/", swapped in at each renewal
  var RENEW_MARGIN_MS = 60000;

  // The viewer's id and the clock over the video: a screen recording names who made it and when.
  var viewer = K.subjectOf(token) || 'unknown viewer';
  say(document.getElementById('overlay-viewer'), viewer);
  function tick() { say(document.getElementById('overlay-clock'), new Date().toLocaleTimeString([], { hour12: false })); }
  tick();
  setInterval(tick, 1000);
  video.addEventListener('contextmenu', function (e) { e.preventDefault(); });
  document.getElementById('player-box').addEventListener('contextmenu', function (e) { e.preventDefault(); });

  if (!token) {
    say(statusLine, 'No token: open this page as /review/<id>#token=<your token>.');
    return;
  }

  // --- playback ---------------------------------------------------------------------------------
  function grant() {
    return api('POST', '/v1/recordings/' + recordingId + '/playback').then(function (res) {
      if (!res.ok) return errorText(res).then(function (t) { throw new Error(t); });
      return res.json();
    });
  }

  function prefixOf(url) { return url.replace(/index\.m3u8(\?.*)?$/, ''); }

  function swapToken(url) {
    if (!playbackPrefix) return url;
    return url.replace(/\/v1\/playback\/[^/]+\//, playbackPrefix.replace(/^https?:\/\/[^/]+/, ''));
  }

  function scheduleRenewal(expiresAt) {
    var wait = Math.max(5000, new Date(expiresAt).getTime() - Date.now() - RENEW_MARGIN_MS);
    setTimeout(function () {
      grant().then(function (g) {
        playbackPrefix = prefixOf(g.url);
        scheduleRenewal(g.expiresAt);
      }, function (e) {
        say(statusLine, 'Could not renew playback (' + e.message + '); playback stops when the current grant expires.');
        setTimeout(function () { scheduleRenewal(new Date(Date.now() + RENEW_MARGIN_MS + 10000).toISOString()); }, 10000);
      });
    }, wait);
  }

  function start(g) {
    playbackPrefix = prefixOf(g.url);
    if (g.poster) video.poster = g.poster;
    say(statusLine, g.audioOnly ? 'Audio only: the video was not kept.' : 'Streaming (encrypted, not downloadable).');
    scheduleRenewal(g.expiresAt);
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({
        enableWorker: false,
        xhrSetup: function (xhr, url) { xhr.open('GET', swapToken(url), true); },
      });
      hls.on(window.Hls.Events.ERROR, function (_event, data) {
        if (data.fatal) say(statusLine, 'Playback error: ' + data.details);
      });
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
        var p = video.play();
        if (p && p.catch) p.catch(function () { say(statusLine, 'Press play to start.'); });
      });
      hls.loadSource(g.url);
      hls.attachMedia(video);
    } else {
      say(statusLine, 'This browser cannot play the stream (no Media Source Extensions).');
    }
  }

  grant().then(start, function (e) { say(statusLine, 'No playback: ' + e.message); });

  // --- transcript -------------------------------------------------------------------------------
  var cues = [];
  var list = document.getElementById('cues');

  function seconds(stamp) {
    var parts = stamp.split(':').map(Number);
    return parts.reduce(function (acc, n) { return acc * 60 + n; }, 0);
  }

  function parseVtt(text) {
    var found = [];
    var blocks = text.replace(/\r/g, '').split(/\n\n+/);
    blocks.forEach(function (block) {
      var lines = block.split('\n');
      var i = lines.findIndex(function (l) { return l.indexOf('-->') !== -1; });
      if (i === -1) return;
      var m = /([\d:.]+)\s*-->\s*([\d:.]+)/.exec(lines[i]);
      if (!m) return;
      var body = lines.slice(i + 1).join(' ').replace(/<[^>]*>/g, '').trim();
      if (body) found.push({ start: seconds(m[1]), end: seconds(m[2]), text: body });
    });
    return found;
  }

  function showCues(found) {
    list.textContent = '';
    if (found.length === 0) {
      var empty = document.createElement('li');
      empty.className = 'muted';
      say(empty, 'The transcript has no cues.');
      list.appendChild(empty);
    }
    found.forEach(function (cue, index) {
      var li = document.createElement('li');
      li.className = 'cue';
      li.setAttribute('data-start', String(cue.start));
      li.setAttribute('data-index', String(index));
      var at = document.createElement('span');
      at.className = 'at';
      say(at, clock(cue.start));
      li.appendChild(at);
      li.appendChild(document.createTextNode(cue.text)); // text only: never parsed as HTML
      li.addEventListener('click', function () {
        video.currentTime = cue.start;
        var p = video.play();
        if (p && p.catch) p.catch(function () {});
      });
      cue.el = li;
      list.appendChild(li);
    });
    cues = found;
  }

  var current = null;
  video.addEventListener('timeupdate', function () {
    var t = video.currentTime;
    var next = null;
    for (var i = 0; i < cues.length; i++) if (cues[i].start <= t && t < cues[i].end) next = cues[i];
    if (next === current) return;
    if (current) current.el.classList.remove('current');
    if (next) {
      next.el.classList.add('current');
      next.el.scrollIntoView({ block: 'nearest' });
    }
    current = next;
  });

  api('GET', '/v1/recordings/' + recordingId + '/transcript').then(function (res) {
    if (res.status === 404) return showCues([]) || say(list.firstChild, 'No transcript for this recording.');
    if (!res.ok) return errorText(res).then(function (t) { list.textContent = ''; var li = document.createElement('li'); say(li, 'Transcript unavailable (' + t + ')'); list.appendChild(li); });
    return res.text().then(function (text) { showCues(parseVtt(text)); });
  });

  // --- outcome ----------------------------------------------------------------------------------
  var form = document.getElementById('outcome-form');
  var result = document.getElementById('outcome-result');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var data = new FormData(form);
    var body = { outcome: data.get('outcome') };
    var note = String(data.get('note') || '').trim();
    if (note) body.note = note;
    document.getElementById('submit-outcome').disabled = true;
    api('POST', '/v1/recordings/' + recordingId + '/reviews', body).then(function (res) {
      if (!res.ok) return errorText(res).then(function (t) { say(result, 'Not recorded: ' + t); });
      return res.json().then(function (r) {
        result.setAttribute('data-review-id', r.id);
        if (r.holdId) result.setAttribute('data-hold-id', r.holdId);
        say(result, 'Recorded: ' + r.outcome + (r.holdId ? ' — hold ' + r.holdId + ' placed' : '') + '.');
      });
    }).catch(function (err) { say(result, 'Not recorded: ' + err.message); })
      .then(function () { document.getElementById('submit-outcome').disabled = false; });
  });
})();
`;
