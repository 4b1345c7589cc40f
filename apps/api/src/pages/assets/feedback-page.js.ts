/**
 * The feedback page's script (served at /assets/feedback.js, after page-kit.js and talk-chart.js):
 * reads `GET /v1/tutors/{tutorId}/feedback` with the viewer's token and shows the trends in plain
 * words (the tutor's mean against the programme median, and which way it is moving), then each
 * session newest first with its shares, figures and talk-over-time chart. `#status[data-state]`
 * says where the page stands: loading, ready, empty, unauthorised, forbidden, error.
 */
export const FEEDBACK_PAGE_JS = String.raw`(function () {
  'use strict';
  var K = window.PageKit;
  var el = K.el;
  var tutorId = document.body.getAttribute('data-tutor-id');
  var statusLine = document.getElementById('status');
  // The tutor reads "You talked…"; a reviewer reads "The tutor talked…".
  var self = K.subjectOf(K.token) === tutorId;
  var who = self
    ? { subject: 'You', object: 'you', possessive: 'Your' }
    : { subject: 'The tutor', object: 'the tutor', possessive: 'The tutor’s' };

  var SOURCES = {
    participant_audio: 'from each participant’s audio',
    transcript: 'from the transcript',
    timeline: 'from Zoom’s active-speaker timeline',
  };

  function whole(n) { return String(Math.round(n)); }

  var METRICS = [
    { metric: 'tutorShare', title: 'Talk share', format: K.percent,
      sentence: function (mine, median) { return who.subject + ' talked ' + mine + ' of the time' + median + '.'; },
      missing: 'No talk share yet.' },
    { metric: 'longestMonologueSeconds', title: 'Longest monologue', format: K.duration,
      sentence: function (mine, median) { return who.possessive + ' longest stretch of talk without a learner speaking averaged ' + mine + median + '.'; },
      missing: 'No monologue measured yet.' },
    { metric: 'meanTurnSeconds', title: 'Turn length', format: K.duration,
      sentence: function (mine, median) { return who.possessive + ' turns lasted ' + mine + ' on average' + median + '.'; },
      missing: 'No turns measured yet.' },
    { metric: 'questionsPerHour', title: 'Questions an hour', format: whole,
      sentence: function (mine, median) { return who.subject + ' asked ' + mine + ' questions an hour' + median + '.'; },
      missing: 'Questions are counted from transcripts; none of these sessions had one.' },
    { metric: 'meanWaitSeconds', title: 'Wait after a question', format: K.duration,
      sentence: function (mine, median) { return 'After a question ' + who.object + ' waited ' + mine + ' on average for a learner to answer' + median + '.'; },
      missing: 'Wait time is measured from transcripts; none of these sessions had one.' },
  ];

  var DIRECTIONS = { rising: '↗ rising', falling: '↘ falling', steady: '→ steady' };

  function finish(state, message) {
    statusLine.setAttribute('data-state', state);
    statusLine.className = 'status ' + state;
    K.say(statusLine, message);
  }

  function trendCard(spec, trend, sessions) {
    var card = el('article', 'trend');
    card.setAttribute('data-metric', spec.metric);
    card.appendChild(el('h3', null, spec.title));
    if (!trend || trend.tutorMean === null) {
      card.appendChild(el('p', 'sentence muted', spec.missing));
      return card;
    }
    var median = trend.programMedian === null ? '; no programme figure yet' : '; programme median ' + spec.format(trend.programMedian);
    card.appendChild(el('p', 'sentence', spec.sentence(spec.format(trend.tutorMean), median)));
    var values = trend.points.map(function (p) { return p.value; });
    card.appendChild(window.TalkChart.sparkline(values, trend.programMedian,
      spec.title + ' per session, oldest first: ' + values.map(function (v) { return v === null ? 'n/a' : spec.format(v); }).join(', ')));
    var direction = trend.direction
      ? DIRECTIONS[trend.direction] + ' over the last ' + sessions + ' sessions'
      : 'a direction shows after 4 sessions';
    card.appendChild(el('p', 'direction ' + (trend.direction || 'none'), direction));
    return card;
  }

  function nameOf(speaker) { return speaker && speaker.displayName !== null ? speaker.displayName : 'erased'; }

  function figure(list, term, value, cls) {
    var row = el('div', cls || null);
    row.appendChild(el('dt', null, term));
    row.appendChild(el('dd', null, value));
    list.appendChild(row);
  }

  function when(iso) {
    if (!iso) return 'Date unknown';
    return new Date(iso).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  function sessionCard(s) {
    var card = el('article', 'session');
    card.setAttribute('data-recording-id', s.recordingId);
    var head = el('header');
    head.appendChild(el('h3', null, when(s.startedAt)));
    head.appendChild(el('p', 'meta', [K.duration(s.sessionSeconds), SOURCES[s.source] || s.source, s.program].filter(Boolean).join(' · ')));
    card.appendChild(head);

    var body = el('div', 'session-body');
    var facts = el('dl', 'figures');
    var talk = s.tutorSeconds + s.learnerSeconds;
    figure(facts, 'Talk share', s.tutorShare === null
      ? 'No tutor or learner speech found.'
      : who.subject + ' talked ' + K.percent(s.tutorShare) + ' of the time (' + K.duration(s.tutorSeconds) + ' of ' + K.duration(talk) + ' of tutor and learner talk).', 'share');
    var byId = {};
    s.speakers.forEach(function (sp) { byId[sp.personId] = sp; });
    var learners = s.learners.map(function (l) { return nameOf(byId[l.personId]) + ' ' + K.percent(l.share); });
    figure(facts, 'Learners’ shares', learners.length ? learners.join(' · ') + ' of learner talk' : 'No learners on the roster.', 'learners');
    figure(facts, 'Did not speak', s.silentLearners.length ? s.silentLearners.map(function (id) { return nameOf(byId[id]); }).join(', ') : 'Every learner spoke.', 'silent');
    figure(facts, 'Longest monologue', K.duration(s.tutor.longestMonologueSeconds), 'monologue');
    figure(facts, 'Questions', s.tutor.questions === null
      ? 'Not counted (needs a transcript).'
      : s.tutor.questions + ' asked' + (s.tutor.unansweredQuestions ? ', ' + s.tutor.unansweredQuestions + ' unanswered' : '') +
        (s.tutor.meanWaitSeconds === null ? '' : '; mean wait ' + K.duration(s.tutor.meanWaitSeconds)), 'questions');
    body.appendChild(facts);
    body.appendChild(window.TalkChart.render(s.bins, s.sessionSeconds));
    card.appendChild(body);
    return card;
  }

  function show(feedback) {
    var sessions = feedback.sessions;
    if (sessions.length === 0) {
      finish('empty', 'No sessions analysed yet. Feedback appears here once a recorded session has been analysed.');
      return;
    }
    var tutor = sessions[0].speakers.filter(function (sp) { return sp.role === 'tutor'; })[0];
    if (tutor && tutor.displayName) K.say(document.getElementById('tutor-name'), tutor.displayName);
    var trends = {};
    feedback.trends.forEach(function (t) { trends[t.metric] = t; });
    var trendList = document.getElementById('trend-list');
    METRICS.forEach(function (spec) { trendList.appendChild(trendCard(spec, trends[spec.metric], sessions.length)); });
    var list = document.getElementById('session-list');
    sessions.forEach(function (s) { list.appendChild(sessionCard(s)); });
    document.getElementById('trends').hidden = false;
    document.getElementById('sessions').hidden = false;
    finish('ready', (self ? 'Your' : 'The tutor’s') + ' last ' + sessions.length + ' analysed session' + (sessions.length === 1 ? '' : 's') +
      ', against the programme' + (feedback.programs.length === 1 ? '' : 's') + ' median.');
  }

  if (!K.token) {
    finish('unauthorised', 'No token: open this page from the platform (/feedback/<tutor id>#token=<your token>).');
    return;
  }
  K.api('GET', '/v1/tutors/' + encodeURIComponent(tutorId) + '/feedback').then(function (res) {
    if (res.status === 401) return finish('unauthorised', 'Your sign-in is missing or has expired: open this page again from the platform.');
    if (res.status === 403) return finish('forbidden', 'You can only see your own feedback.');
    if (!res.ok) return K.errorText(res).then(function (t) { finish('error', 'Feedback could not be loaded (' + t + ').'); });
    return res.json().then(show);
  }).catch(function () { finish('error', 'Feedback could not be loaded (the service did not answer).'); });
})();
`;
