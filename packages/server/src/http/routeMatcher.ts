// Remembers every registered route pattern so the not-found handler can tell 404 (no such
// path) from 405 (path exists with other methods), and the OpenAPI generator can list them.
import type { RouteOptions } from "fastify";

/** A registered route. */
export interface RegisteredRoute {
  method: string;
  url: string;
  schema: Record<string, unknown> | undefined;
  config: Record<string, unknown> | undefined;
}

/** Route patterns collected through fastify's onRoute hook. */
export class RouteMatcher {
  readonly routes: RegisteredRoute[] = [];
  private readonly compiled: { method: string; re: RegExp }[] = [];

  add(route: RouteOptions): void {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD" && route.exposeHeadRoute !== false) continue;
      const url = route.url;
      this.routes.push({ method, url, schema: route.schema as Record<string, unknown> | undefined, config: route.config as Record<string, unknown> | undefined });
      const pattern = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_]+/g, "[^/]+");
      this.compiled.push({ method, re: new RegExp(`^${pattern}/?$`) });
    }
  }

  /** Methods registered for a concrete path. */
  methodsFor(path: string): string[] {
    return [...new Set(this.compiled.filter((c) => c.re.test(path)).map((c) => c.method))];
  }
}
