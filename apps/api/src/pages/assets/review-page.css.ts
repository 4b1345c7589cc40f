/** The review page's styles (served at /assets/review.css). */
export const REVIEW_PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430; background: #f3f5f8; }
header { padding: 12px 24px; background: #1d2d44; color: #fff; }
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
header code { font-size: 13px; opacity: .8; }
main { display: grid; grid-template-columns: minmax(0, 2fr) minmax(280px, 1fr); grid-template-areas: "stage transcript" "facts transcript" "outcome transcript"; gap: 16px; padding: 16px 24px; }
h2 { margin: 0 0 8px; font-size: 15px; }
.stage { grid-area: stage; }
.transcript { grid-area: transcript; background: #fff; border-radius: 8px; padding: 12px; max-height: 86vh; overflow-y: auto; }
.facts { grid-area: facts; display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.facts > div, .outcome { background: #fff; border-radius: 8px; padding: 12px; }
.outcome { grid-area: outcome; }
.player-box { position: relative; background: #000; border-radius: 8px; overflow: hidden; aspect-ratio: 16 / 9; }
video { width: 100%; height: 100%; display: block; }
.overlay { position: absolute; top: 10px; right: 12px; padding: 3px 8px; background: rgba(0, 0, 0, .55); color: #fff; font: 13px/1.3 ui-monospace, monospace; border-radius: 4px; pointer-events: none; user-select: none; }
.status { margin: 6px 0 0; color: #5a6472; font-size: 13px; }
.muted { color: #5a6472; }
#cues { list-style: none; margin: 0; padding: 0; }
#cues li.cue { padding: 6px 8px; border-radius: 6px; cursor: pointer; }
#cues li.cue:hover { background: #eef2f7; }
#cues li.cue.current { background: #dbe9ff; }
#cues .at { display: inline-block; min-width: 52px; color: #5a6472; font: 12px ui-monospace, monospace; }
form label { display: block; margin: 2px 0; }
textarea { width: 100%; margin: 8px 0; font: inherit; }
button { font: inherit; padding: 6px 14px; border: 0; border-radius: 6px; background: #1d5fd1; color: #fff; cursor: pointer; }
#outcome-result { margin: 8px 0 0; font-weight: 600; }
[hidden] { display: none !important; }
#talk-time p { margin: 0 0 6px; }
#talk-time .share strong { font-size: 20px; }
.learner-shares { list-style: none; margin: 0 0 6px; padding: 0; }
#safety-flags { list-style: none; margin: 0; padding: 0; }
#safety-flags li.flag { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 8px; padding: 6px 0; border-top: 1px solid #e6e9ee; }
#safety-flags li.flag:first-child { border-top: 0; }
#safety-flags .where, #safety-flags .who, #safety-flags .hold { color: #5a6472; font-size: 13px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; }
.badge.breach { background: #fdecea; color: #8a1c12; }
.badge.covered { background: #e7f4ea; color: #1e6b35; }
.facts:has(#flags-panel[hidden]) #talk-panel { grid-column: 1 / -1; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; grid-template-areas: "stage" "transcript" "facts" "outcome"; } }
`;
