/**
 * The review page's talk time and safety flags (served at /assets/review-facts.js, after
 * page-kit.js): `GET /v1/recordings/{id}/talk-time` as a summary (tutor share, each learner's
 * share, who never spoke, the source it came from) and `GET /v1/recordings/{id}/safety-flags` as a
 * list (kind, file and line or time, sender → recipient, breach or what covers it). A volunteer
 * reviewer may not read flags (403): the panel is hidden rather than shown empty. Each list says
 * where it stands in `data-state`: loading, ready, none, unauthorised, forbidden, error.
 */
export const REVIEW_FACTS_JS = String.raw`(function () {
  'use strict';
  var K = window.PageKit;
  var el = K.el;
  var recordingId = document.body.getAttribute('data-recording-id');
  var talk = document.getElementById('talk-time');
  var flags = document.getElementById('safety-flags');

  var SOURCES = { participant_audio: 'per-participant audio', transcript: 'transcript', timeline: 'Zoom timeline' };
  var KINDS = {
    email: 'email address',
    phone: 'phone number',
    social: 'social media handle',
    address: 'postal address',
    link: 'external meeting or chat link',
    off_platform: 'invitation off the platform',
  };
  var FILES = { chat: 'chat log', transcript: 'transcript' };

  function fill(target, state, nodes) {
    target.textContent = '';
    target.setAttribute('data-state', state);
    nodes.forEach(function (n) { target.appendChild(n); });
  }

  function showTalk(t) {
    var byId = {};
    t.speakers.forEach(function (sp) { byId[sp.personId] = sp; });
    var name = function (id) { var sp = byId[id]; return sp && sp.displayName !== null ? sp.displayName : 'erased'; };
    var share = el('p', 'share');
    share.appendChild(el('strong', null, K.percent(t.tutorShare)));
    share.appendChild(document.createTextNode(' tutor share (' + K.duration(t.tutorSeconds) + ' tutor, ' + K.duration(t.learnerSeconds) + ' learners)'));
    var learners = el('ul', 'learner-shares');
    t.learners.forEach(function (l) {
      var li = el('li', null, name(l.personId) + ' ');
      li.setAttribute('data-person-id', l.personId);
      li.appendChild(el('strong', null, K.percent(l.share)));
      li.appendChild(document.createTextNode(' of learner talk'));
      learners.appendChild(li);
    });
    var nodes = [share, learners];
    if (t.silentLearners.length) nodes.push(el('p', 'silent', 'Did not speak: ' + t.silentLearners.map(name).join(', ')));
    nodes.push(el('p', 'source muted', 'Source: ' + (SOURCES[t.source] || t.source) + ' · ' + K.duration(t.sessionSeconds)));
    fill(talk, 'ready', nodes);
  }

  function flagItem(f) {
    var li = el('li', 'flag' + (f.breach ? ' breach' : ''));
    li.setAttribute('data-kind', f.kind);
    li.appendChild(el('span', 'badge ' + (f.breach ? 'breach' : 'covered'), f.breach ? 'breach' : f.coveredBy ? 'covered: ' + f.coveredBy : 'not a breach'));
    li.appendChild(el('strong', null, KINDS[f.kind] || f.kind));
    li.appendChild(el('span', 'where', (FILES[f.source] || f.source) + ', line ' + f.line + ' (' + K.clock(f.offsetSeconds) + ')'));
    li.appendChild(el('span', 'who', f.senderRole + ' → ' + f.recipientRole + (f.direct ? ' (direct message)' : '')));
    if (f.holdId) li.appendChild(el('span', 'hold', 'hold placed'));
    return li;
  }

  function refused(res, into, tag) {
    return K.errorText(res).then(function (text) { fill(into, 'error', [el(tag, 'muted', 'Unavailable (' + text + ')')]); });
  }

  if (!K.token) {
    fill(talk, 'unauthorised', [el('p', 'muted', 'Needs a token.')]);
    fill(flags, 'unauthorised', [el('li', 'muted', 'Needs a token.')]);
    return;
  }

  K.api('GET', '/v1/recordings/' + recordingId + '/talk-time').then(function (res) {
    if (res.status === 404) return fill(talk, 'none', [el('p', 'muted', 'No talk-time analysis yet.')]);
    if (!res.ok) return refused(res, talk, 'p');
    return res.json().then(showTalk);
  }).catch(function () { fill(talk, 'error', [el('p', 'muted', 'Unavailable (the service did not answer).')]); });

  K.api('GET', '/v1/recordings/' + recordingId + '/safety-flags').then(function (res) {
    if (res.status === 403) {
      flags.setAttribute('data-state', 'forbidden');
      document.getElementById('flags-panel').hidden = true;
      return undefined;
    }
    if (!res.ok) return refused(res, flags, 'li');
    return res.json().then(function (body) {
      if (body.items.length === 0) return fill(flags, 'none', [el('li', 'muted', 'No contact details found.')]);
      return fill(flags, 'ready', body.items.map(flagItem));
    });
  }).catch(function () { fill(flags, 'error', [el('li', 'muted', 'Unavailable (the service did not answer).')]); });
})();
`;
