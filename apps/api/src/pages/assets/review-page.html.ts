/**
 * The review page's HTML. The recording id is the only value put into it, and only after the
 * controller checked it is a UUID; the token stays in the fragment (never sent to us).
 */
export function reviewPageHtml(recordingId: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Review recording</title>
<link rel="stylesheet" href="/assets/review.css">
</head>
<body data-recording-id="${recordingId}">
<header><h1>Review recording <code id="recording-id">${recordingId}</code></h1></header>
<main>
  <section class="stage">
    <div class="player-box" id="player-box">
      <video id="player" controls controlsList="nodownload noremoteplayback" disablePictureInPicture disableRemotePlayback playsinline preload="auto"></video>
      <div class="overlay" id="overlay" aria-label="viewer and time"><span id="overlay-viewer"></span> · <span id="overlay-clock"></span></div>
    </div>
    <p class="status" id="player-status">Loading the stream…</p>
  </section>
  <aside class="transcript">
    <h2>Transcript</h2>
    <ol id="cues"><li class="muted">Loading…</li></ol>
  </aside>
  <section class="facts">
    <div id="talk-panel"><h2>Talk time</h2><div id="talk-time" data-state="loading"><p class="muted">Loading…</p></div></div>
    <div id="flags-panel"><h2>Safety flags</h2><ol id="safety-flags" data-state="loading"><li class="muted">Loading…</li></ol></div>
  </section>
  <section class="outcome">
    <h2>Outcome</h2>
    <form id="outcome-form">
      <label><input type="radio" name="outcome" value="ok" checked> ok</label>
      <label><input type="radio" name="outcome" value="coach"> coach (escalate to tutor coaching)</label>
      <label><input type="radio" name="outcome" value="safety"> safety (escalate and place a hold)</label>
      <textarea name="note" id="note" maxlength="2000" rows="3" placeholder="note (optional)"></textarea>
      <button type="submit" id="submit-outcome">Record outcome</button>
    </form>
    <p id="outcome-result" role="status"></p>
  </section>
</main>
<script src="/assets/hls.min.js"></script>
<script src="/assets/page-kit.js"></script>
<script src="/assets/review.js"></script>
<script src="/assets/review-facts.js"></script>
</body>
</html>
`;
}
