// A fetch wrapper that records which API operations (method + route template) were called, so
// the conformance suite can prove it exercised every documented operation.

/** Route templates (OpenAPI paths) → regex. */
export function compileTemplates(paths: readonly string[]): { template: string; re: RegExp }[] {
  return paths.map((template) => ({
    template,
    re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[a-z_]+\}/g, "[^/]+")}$`),
  }));
}

/** Wraps fetch; `seen` collects "METHOD template". */
export function recordingFetch(templates: { template: string; re: RegExp }[], seen: Set<string>): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    // Prefer the most specific template (static segments beat parameters).
    const matches = templates.filter((t) => t.re.test(url.pathname)).sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
    if (matches[0] !== undefined) seen.add(`${method} ${matches[0].template}`);
    return fetch(input, init);
  };
}
