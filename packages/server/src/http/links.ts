// `links` objects (spec §1.4). Hrefs are absolute and include the project id ([our choice]).
import type { FastifyRequest } from "fastify";

/** One link. */
export interface Link {
  href: string;
  rel: string;
}

/** Builds hrefs under `<root>/v2/<project>`. */
export class Hrefs {
  private readonly base: string;

  constructor(
    readonly root: string,
    readonly projectId: string,
  ) {
    this.base = `${root}/v2/${encodeURIComponent(projectId)}`;
  }

  /** `<root>/v2/<project>/<segments…>` (segments percent-encoded). */
  project(...segments: string[]): string {
    let href = this.base;
    for (const s of segments) href += `/${encodeURIComponent(s)}`;
    return href;
  }

  link(rel: string, ...segments: string[]): Link {
    return { href: this.project(...segments), rel };
  }

  /** `{id, links: [{rel: "full"}]}`: a reference to another top-level resource. */
  ref(id: string, ...segments: string[]): { id: string; links: Link[] } {
    return { id, links: [{ href: this.project(...segments), rel: "full" }] };
  }
}

/** `scheme://host[:port]` the client used (or the configured public URL). */
export function rootUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return publicUrl.replace(/\/+$/, "");
  return `${request.protocol}://${request.host}`;
}
