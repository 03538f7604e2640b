// "A project never sees another project's anything": every registered route, called by
// project B with project A's path or with A's ids in B's path, must neither succeed on A's
// data nor leak any of A's ids. Table-driven over the routes the server actually registers.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RouteSpec } from "../src/index.js";
import { describeDrivers } from "./support/drivers.js";
import { startHarness, type Harness } from "./support/harness.js";
import { bodyFor, EXPECTED_ROLE, fillUrl, populate, type Population } from "./support/routeTable.js";

describeDrivers("project isolation and roles on every route", (driver) => {
  let h: Harness;
  let popA: Population;
  let popB: Population;
  beforeAll(async () => {
    h = await startHarness(driver);
    popA = await populate(h, h.a);
    popB = await populate(h, h.b);
  });
  afterAll(async () => h?.close());

  const projectRoutes = () =>
    h.server.routes
      .map((r) => ({ route: r, spec: (r.config as { cairn?: RouteSpec }).cairn as RouteSpec }))
      .filter(({ route, spec }) => spec !== undefined && route.url.startsWith("/v2/:project_id") && spec.role !== "public");

  it("covers every registered route with an expected role", () => {
    for (const { route, spec } of h.server.routes.map((r) => ({ route: r, spec: (r.config as { cairn?: RouteSpec }).cairn }))) {
      expect(spec, `${route.method} ${route.url}`).toBeDefined();
      expect(EXPECTED_ROLE[spec!.operationId], spec!.operationId).toBe(spec!.role);
    }
    expect(Object.keys(EXPECTED_ROLE).length).toBe(h.server.routes.length);
  });

  it("B's admin on A's project path: 403 on every route", async () => {
    for (const { route, spec } of projectRoutes()) {
      const res = await h.call(route.method, fillUrl(route.url, h.a.id, popA), { token: h.b.tokens.admin, body: bodyFor(spec.operationId, popA) });
      expect(res.status, `${route.method} ${route.url}`).toBe(403);
    }
  });

  it("A's agent token on B's project path: 403 on every route", async () => {
    for (const { route, spec } of projectRoutes()) {
      const res = await h.call(route.method, fillUrl(route.url, h.b.id, popB), { token: popA.agent.token, body: bodyFor(spec.operationId, popB) });
      expect(res.status, `${route.method} ${route.url}`).toBe(403);
    }
  });

  it("B's admin on B's path with A's ids: never found, never leaks", async () => {
    const aIds = Object.values(popA.ids);
    for (const { route, spec } of projectRoutes()) {
      const url = fillUrl(route.url, h.b.id, popA);
      const res = await h.call(route.method, url, { token: h.b.tokens.admin, body: bodyFor(spec.operationId, popA) });
      const label = `${route.method} ${route.url} -> ${res.status} ${res.raw.slice(0, 200)}`;
      const hasIds = /:(agent|configuration|backup|restore|cleanup|logfile|request|user)_id/.test(route.url);
      const referencesA = ["createConfiguration", "createBackup", "createRestore", "createCleanup", "createBackupBrowseRequest", "moveVault"].includes(spec.operationId);
      if (hasIds || referencesA) expect([403, 404], label).toContain(res.status);
      else expect(res.status, label).toBeLessThan(300);
      for (const id of aIds) expect(res.raw.includes(id), `${label} leaks ${id}`).toBe(false);
    }
  });

  it("each role gets 403 below the operation's required role, and passes the check at or above it", async () => {
    const below: Record<string, "observer" | "creator" | undefined> = { observer: undefined, creator: "observer", admin: "creator" };
    for (const { route, spec } of projectRoutes()) {
      const lower = below[spec.role];
      const url = fillUrl(route.url, h.a.id, popA);
      if (lower !== undefined) {
        const res = await h.call(route.method, url, { token: h.a.tokens[lower], body: bodyFor(spec.operationId, popA) });
        expect(res.status, `${lower} ${route.method} ${route.url}`).toBe(403);
        expect(res.body.message).toMatch(/requires the/);
      }
      if (route.method === "GET") {
        const res = await h.call(route.method, url, { token: h.a.tokens[spec.role as "observer"] });
        expect([200, 404], `${spec.role} ${route.method} ${route.url} ${res.raw.slice(0, 120)}`).toContain(res.status);
      }
    }
  });
});
