/**
 * The feedback page's HTML. The tutor id is the only value put into it, and only after the
 * controller checked it is a person id (letters, digits and `._:@-`: nothing HTML gives a meaning
 * to); the token stays in the fragment (never sent to us).
 */
export function feedbackPageHtml(tutorId: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Talk-time feedback</title>
<link rel="stylesheet" href="/assets/feedback.css">
</head>
<body data-tutor-id="${tutorId}">
<header><h1>Talk-time feedback <span id="tutor-name"></span> <code id="tutor-id">${tutorId}</code></h1></header>
<main>
  <p id="status" class="status" role="status" data-state="loading">Loading feedback…</p>
  <section id="trends" hidden>
    <h2>Trends</h2>
    <p class="muted">The average over these sessions against the median of every tutor’s sessions in the same programme. The dashed line is the programme median. None of these figures is a grade: they help notice habits.</p>
    <div id="trend-list" class="trend-list"></div>
  </section>
  <section id="sessions" hidden>
    <h2>Sessions, newest first</h2>
    <div id="session-list"></div>
  </section>
</main>
<script src="/assets/page-kit.js"></script>
<script src="/assets/talk-chart.js"></script>
<script src="/assets/feedback.js"></script>
</body>
</html>
`;
}
