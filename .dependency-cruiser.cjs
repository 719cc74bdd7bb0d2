// The layer check `npm test` runs (scripts/test.sh, `npm run lint:layers`): layers only look
// down, and nothing loads in a circle. Bottom to top:
//   base      lib/records, lib/config, lib/pagination, lib/clock.ts (shapes, settings, codecs)
//   analysis  lib/analysis (pure: no database, no I/O); lib/evidence (hashes, Merkle, bundle, key)
//   db        lib/db (SQL and rows only: it may name the analysis's types, never run its code)
//   services  lib/ingest, lib/importers, lib/shares, lib/alerts, lib/policy, lib/handoffs,
//             lib/intercepts, lib/reviews, lib/retention, lib/agents, lib/timeline, lib/overview,
//             lib/evidence-chain (integrity check, export bundles),
//             lib/http, lib/api-contract, lib/openapi.ts, lib/cli, lib/demo, lib/server-runtime.ts,
//             lib/startup (checks a process makes when it starts)
//   ui        components/, lib/hooks (the dashboard's pieces: never the database)
//   app       app/ (routes and pages), proxy.ts, instrumentation.ts
// dependency-cruiser rather than madge: madge finds cycles only, while this states the layers
// as rules, tells a type-only import from one that loads code, and reads tsconfig's "@/" paths.
const BASE = "^lib/(records|config|pagination)/|^lib/clock\\.ts$";
const ANALYSIS = "^lib/analysis/";
const DB = "^lib/db/";
const SERVICES = "^lib/(ingest|importers|shares|alerts|policy|handoffs|intercepts|reviews|retention|agents|timeline|overview|evidence-chain|http|api-contract|cli|demo|startup)/|^lib/(openapi|server-runtime)\\.ts$";
const UI = "^components/|^lib/hooks/";
const APP = "^app/|^(proxy|instrumentation)\\.ts$";
const any = (...layers) => layers.join("|");

const rule = (name, comment, from, to) => ({ name, severity: "error", comment, from, to });

module.exports = {
  forbidden: [
    rule("base-looks-down", "records, settings and codecs import nothing of the app", { path: BASE }, { path: any(ANALYSIS, DB, SERVICES, UI, APP) }),
    rule("analysis-is-pure", "analysis works on values: no database, no services", { path: ANALYSIS }, { path: any(DB, SERVICES, UI, APP) }),
    // lib/evidence (canonical hashes, Merkle trees, the bundle format, the signing key) sits under
    // lib/db, which hashes and chains what it stores; the key file's place comes from db/config.
    rule("evidence-looks-down", "hashing and signing know no queries, services or pages", { path: "^lib/evidence/" }, { path: any(DB, SERVICES, UI, APP), pathNot: "^lib/db/config\\.ts$" }),
    rule("db-looks-down", "the database layer knows nothing of HTTP, services or pages", { path: DB }, { path: any(SERVICES, UI, APP) }),
    // lib/db runs SQL and returns rows: what the analysis computes from them (outcomes, causes,
    // gate groups, leak rules) is run a layer up (lib/ingest, lib/retention, lib/handoffs).
    // The analysis's types may still name a column's values (CallKind, Outcome, ...).
    rule("db-computes-nothing", "lib/db loads no analysis code (type imports only)", { path: DB }, { path: ANALYSIS, dependencyTypesNot: ["type-only"] }),
    rule("services-look-down", "services do not import pages or components", { path: SERVICES }, { path: any(UI, APP) }),
    // Server actions ("use server" modules in app/) are how a client component calls the
    // server, as fetch() is for the API routes: the one thing in app/ a component may import.
    rule("ui-looks-down", "components do not import routes or pages", { path: UI }, { path: APP, pathNot: "^app/[a-z-]+-actions\\.ts$" }),
    // Not even a type: the shapes components show come from the Zod contract (lib/api-contract).
    rule("ui-never-imports-db", "components and hooks take data from their page or the API", { path: UI }, { path: DB }),
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
