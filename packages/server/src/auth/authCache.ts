// A short-lived, in-process cache of what a token digest resolves to and of a user's role in a
// project, so an authenticated request costs no identity queries in the common case (every
// agent heartbeat and long-poll authenticates).
//
// Not guaranteed: across several server instances, a token revoked or a role changed on
// another instance is honoured here only once the entry expires (`ttlMs`, default 5 s). On
// this instance, revocations and grants invalidate at once. Expired tokens never resolve: an
// entry lives no longer than its token.
import type { Role } from "./roles.js";

/** What a token resolves to (see IdentityStore.resolveToken). */
export interface CachedIdentity {
  userId: string | null;
  agentId: string | null;
  projectId: string | null;
  expiresAt: number;
}

const MAX_ENTRIES = 50_000;

/** Token and role cache shared by every IdentityStore of one server. */
export class AuthCache {
  private readonly tokens = new Map<string, { identity: CachedIdentity; until: number }>();
  private readonly roles = new Map<string, { role: Role | undefined; until: number }>();

  constructor(readonly ttlMs = 5_000) {}

  token(digest: string, now: number): CachedIdentity | undefined {
    const hit = this.tokens.get(digest);
    if (hit === undefined) return undefined;
    if (now >= hit.until || now >= hit.identity.expiresAt) {
      this.tokens.delete(digest);
      return undefined;
    }
    return hit.identity;
  }

  setToken(digest: string, identity: CachedIdentity, now: number): void {
    if (this.tokens.size >= MAX_ENTRIES) this.tokens.clear();
    this.tokens.set(digest, { identity, until: Math.min(now + this.ttlMs, identity.expiresAt) });
  }

  /** `undefined` result = not cached; `{role: undefined}` = cached "no role". */
  role(userId: string, projectId: string, now: number): { role: Role | undefined } | undefined {
    const key = `${userId}\0${projectId}`;
    const hit = this.roles.get(key);
    if (hit === undefined) return undefined;
    if (now >= hit.until) {
      this.roles.delete(key);
      return undefined;
    }
    return { role: hit.role };
  }

  setRole(userId: string, projectId: string, role: Role | undefined, now: number): void {
    if (this.roles.size >= MAX_ENTRIES) this.roles.clear();
    this.roles.set(`${userId}\0${projectId}`, { role, until: now + this.ttlMs });
  }

  /** Forgets every token (revocations are rare: drop all rather than index by owner). */
  dropTokens(): void {
    this.tokens.clear();
  }

  /** Forgets every role (after a grant or a membership change). */
  dropRoles(): void {
    this.roles.clear();
  }
}
