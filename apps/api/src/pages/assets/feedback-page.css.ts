/** The feedback page's styles (served at /assets/feedback.css); the chart's colours live here too. */
export const FEEDBACK_PAGE_CSS = `
:root { --tutor: #1d5fd1; --learners: #e8862a; --parents: #8a5cc7; --unattributed: #a3abb6; --ink: #1d2430; --muted: #5a6472; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f3f5f8; }
header { padding: 12px 24px; background: #1d2d44; color: #fff; }
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
header code { font-size: 13px; opacity: .7; margin-left: 6px; }
#tutor-name:not(:empty)::before { content: "· "; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 32px; }
h2 { margin: 20px 0 8px; font-size: 16px; }
h3 { margin: 0 0 6px; font-size: 15px; }
.muted { color: var(--muted); }
.status { margin: 4px 0 0; padding: 10px 14px; border-radius: 8px; background: #fff; }
.status.forbidden, .status.unauthorised, .status.error { background: #fdecea; color: #8a1c12; font-weight: 600; }
.status.empty { background: #fff8e1; }
.trend-list { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 12px; }
.trend { background: #fff; border-radius: 8px; padding: 12px 14px; }
.trend .sentence { margin: 0 0 6px; }
.trend .direction { margin: 4px 0 0; font-size: 13px; color: var(--muted); }
.sparkline { display: block; width: 100%; max-width: 220px; height: 40px; }
.sparkline .values { fill: none; stroke: var(--tutor); stroke-width: 2; }
.sparkline .point { fill: var(--tutor); }
.sparkline .median { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 4 3; }
.session { background: #fff; border-radius: 8px; padding: 14px 16px; margin: 0 0 12px; }
.session header { padding: 0; background: none; color: inherit; display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; }
.session .meta { margin: 0; color: var(--muted); font-size: 13px; }
.session-body { display: grid; grid-template-columns: minmax(240px, 1fr) minmax(0, 2fr); gap: 16px; align-items: start; margin-top: 8px; }
.figures { margin: 0; }
.figures div { margin: 0 0 8px; }
.figures dt { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.figures dd { margin: 0; }
figure.talk-over-time { margin: 0; }
svg.talk-chart { display: block; width: 100%; height: auto; }
.talk-chart .grid { stroke: #e3e7ed; stroke-width: 1; }
.talk-chart .baseline { stroke: #8a93a0; stroke-width: 1; }
.talk-chart .tick { font-size: 11px; fill: var(--muted); }
.talk-chart .axis-title { font-size: 11px; fill: var(--muted); }
.talk-chart .bin:hover .part { opacity: .8; }
.part.tutor, .swatch.tutor { fill: var(--tutor); background: var(--tutor); }
.part.learners, .swatch.learners { fill: var(--learners); background: var(--learners); }
.part.parents, .swatch.parents { fill: var(--parents); background: var(--parents); }
.part.unattributed, .swatch.unattributed { fill: var(--unattributed); background: var(--unattributed); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 4px 0 0 56px; padding: 0; font-size: 13px; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
@media (max-width: 800px) { .session-body { grid-template-columns: 1fr; } .legend { margin-left: 0; } }
`;
