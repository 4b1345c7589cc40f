/**
 * What every page for people shares (served at /assets/page-kit.js, loaded before the page's own
 * script): the bearer token from the URL fragment, API calls with it, and text-only DOM helpers.
 * Plain ES2020 for the browser, kept as a string (no template literals inside). Nothing here logs:
 * a token or a name never reaches the console, and only ids go into request URLs.
 */
export const PAGE_KIT_JS = String.raw`(function () {
  'use strict';
  var token = new URLSearchParams(location.hash.slice(1)).get('token') || '';

  function api(method, path, body) {
    var init = { method: method, headers: { authorization: 'Bearer ' + token }, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init);
  }

  function errorText(res) {
    return res.json().then(function (b) { return res.status + ': ' + (b && b.message ? b.message : 'refused'); }, function () { return String(res.status); });
  }

  /** The token's subject (the viewer's person id), shown to them; the token itself never is. */
  function subjectOf(jwt) {
    try {
      var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part + '==='.slice((part.length + 3) % 4))).sub || null;
    } catch (e) {
      return null;
    }
  }

  function say(node, text) { node.textContent = text; }

  /** An element with a class and text: names from the API only ever go in as text, never as HTML. */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function percent(share) { return share === null || share === undefined ? 'n/a' : Math.round(share * 100) + '%'; }

  /** 4.2 → "4.2 s", 250 → "4 min 10 s", 3900 → "1 h 5 min". */
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return 'n/a';
    if (seconds < 10) return (Math.round(seconds * 10) / 10) + ' s';
    var whole = Math.round(seconds);
    if (whole < 60) return whole + ' s';
    var h = Math.floor(whole / 3600);
    var m = Math.floor((whole % 3600) / 60);
    var s = whole % 60;
    if (h > 0) return h + ' h' + (m ? ' ' + m + ' min' : '');
    return m + ' min' + (s ? ' ' + s + ' s' : '');
  }

  /** 245 → "4:05" (a place in the recording). */
  function clock(seconds) {
    var whole = Math.floor(seconds);
    var mm = Math.floor(whole / 60);
    var ss = whole % 60;
    return mm + ':' + (ss < 10 ? '0' : '') + ss;
  }

  window.PageKit = { token: token, api: api, errorText: errorText, subjectOf: subjectOf, say: say, el: el, percent: percent, duration: duration, clock: clock };
})();
`;
