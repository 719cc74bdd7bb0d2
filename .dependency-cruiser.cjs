// The layer check `npm test` runs (scripts/test.sh, `npm run lint:layers`): layers only look
// down, and nothing loads in a circle. Bottom to top:
//   base      lib/records, lib/config, lib/pagination, lib/clock.ts (shapes, settings, codecs)
//   analysis  lib/analysis (pure: no database, no I/O)
//   db        lib/db
//   services  lib/ingest, lib/importers, lib/shares, lib/alerts, lib/policy, lib/handoffs,
//             lib/intercepts, lib/reviews, lib/retention, lib/http,
//             lib/api-contract, lib/openapi.ts, lib/cli, lib/demo, lib/server-runtime.ts
//   ui        components/, lib/hooks (the dashboard's pieces: never the database)
//   app       app/ (routes and pages), proxy.ts, instrumentation.ts
// dependency-cruiser rather than madge: madge finds cycles only, while this states the layers
// as rules, tells a type-only import from one that loads code, and reads tsconfig's "@/" paths.
const BASE = "^lib/(records|config|pagination)/|^lib/clock\\.ts$";
const ANALYSIS = "^lib/analysis/";
const DB = "^lib/db/";
const SERVICES = "^lib/(ingest|importers|shares|alerts|policy|handoffs|intercepts|reviews|retention|http|api-contract|cli|demo)/|^lib/(openapi|server-runtime)\\.ts$";
const UI = "^components/|^lib/hooks/";
const APP = "^app/|^(proxy|instrumentation)\\.ts$";
const any = (...layers) => layers.join("|");

// Known violations, allowed one by one so that no new one gets in. Each names the work that
// removes it; they sit in files other helpers are changing now, so issue 16 left them alone.
const KNOWN_DB_TO_HTTP = {
  // issue 16 (layers) / issue 17 (handoffs): lib/db/queries/handoffs.ts throws the HTTP layer's
  // ApiError for a bad cursor; it should return null and let the route answer 400.
  // issue 16 / issue 19: lib/db/queries/legal-holds.ts throws it for an unknown record or hold
  // and a hold released twice; the checks belong in lib/retention's service.
  from: "^lib/db/queries/(handoffs|legal-holds)\\.ts$",
  to: "^lib/http/errors\\.ts$",
};
// issue 16 (one source per response shape): the API's response types are still hand-written
// interfaces in lib/db/queries/{timeline,agents}.ts, so
// these components and hooks import them — as types only, which load no database code. Once
// the types come from the Zod schemas in lib/api-contract/, this list goes.
const KNOWN_UI_DB_TYPES = {
  from: [
    "^components/timeline/(agent-timeline|activity-chart|selected-event|kind-style|timeline-list|event-row|agents-table|intercept-view)\\.tsx?$",
    "^lib/hooks/use-(timeline|agents)\\.ts$",
  ].join("|"),
  to: "^lib/db/queries/(timeline|agents)\\.ts$",
};

const rule = (name, comment, from, to) => ({ name, severity: "error", comment, from, to });

module.exports = {
  forbidden: [
    rule("base-looks-down", "records, settings and codecs import nothing of the app", { path: BASE }, { path: any(ANALYSIS, DB, SERVICES, UI, APP) }),
    rule("analysis-is-pure", "analysis works on values: no database, no services", { path: ANALYSIS }, { path: any(DB, SERVICES, UI, APP) }),
    rule("db-looks-down", "the database layer knows nothing of HTTP, services or pages", { path: DB, pathNot: KNOWN_DB_TO_HTTP.from }, { path: any(SERVICES, UI, APP) }),
    rule("db-looks-down (known: handoffs.ts)", "see KNOWN_DB_TO_HTTP", { path: KNOWN_DB_TO_HTTP.from }, { path: any(SERVICES, UI, APP), pathNot: KNOWN_DB_TO_HTTP.to }),
    rule("services-look-down", "services do not import pages or components", { path: SERVICES }, { path: any(UI, APP) }),
    // Server actions ("use server" modules in app/) are how a client component calls the
    // server, as fetch() is for the API routes: the one thing in app/ a component may import.
    rule("ui-looks-down", "components do not import routes or pages", { path: UI }, { path: APP, pathNot: "^app/[a-z-]+-actions\\.ts$" }),
    rule("ui-never-imports-db", "components and hooks take data from their page or the API", { path: UI, pathNot: KNOWN_UI_DB_TYPES.from }, { path: DB }),
    rule("ui-never-imports-db (known: response types)", "see KNOWN_UI_DB_TYPES", { path: KNOWN_UI_DB_TYPES.from }, { path: DB, pathNot: KNOWN_UI_DB_TYPES.to }),
    rule("ui-never-loads-db", "type imports only, for the known ones", { path: KNOWN_UI_DB_TYPES.from }, { path: DB, dependencyTypesNot: ["type-only"] }),
    // A cycle made only of type imports is erased at build time and loads nothing in a circle
    // (lib/analysis/claims.ts <-> sourcerykit-modes.ts is one: the ClaimedEntry type).
    rule("no-cycles", "modules that load each other", {}, { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } }),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^lib/db/generated/|\\.test\\.ts$|\\.test-helpers\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
