// Identity data: projects (tenants), users, memberships with a role, API keys and tokens.
// Tokens and API keys are 256-bit random secrets stored only as SHA-256 digests; a token
// lookup re-compares the digest in constant time and checks expiry against the injected clock.
import type { Clock } from "../clock.js";
import type { Queryable } from "../db/database.js";
import { newId, newSecret, sameDigest, sha256Hex } from "../ids.js";
import { projectIdProblem } from "../projectIds.js";
import { hashPassword, verifyPassword, type ScryptCost } from "./passwords.js";
import type { AuthCache } from "./authCache.js";
import type { Role } from "./roles.js";

/** Who a token speaks for. */
export interface TokenIdentity {
  userId: string | null;
  /** Set for agent tokens (then `projectId` is the agent's project). */
  agentId: string | null;
  projectId: string | null;
  expiresAt: number;
}

/** A user record (no secrets). */
export interface User {
  id: string;
  username: string;
}

/** A user of a project, with their role there. */
export interface Member extends User {
  role: Role;
}

/** A membership: user `userId` has `role` in `projectId`. */
export interface Membership {
  projectId: string;
  role: Role;
}

/** Identity data access. */
export class IdentityStore {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly scryptCost?: ScryptCost,
    /** Shared token/role cache (see authCache.ts); none = every lookup queries. */
    private readonly cache?: AuthCache,
  ) {}

  /**
   * Creates a project (tenant) with the given id (or a random one).
   * @throws RangeError when `id` cannot be a project id (see projectIds.ts).
   */
  async createProject(id: string = newId(), name: string = id): Promise<string> {
    const problem = projectIdProblem(id);
    if (problem !== undefined) throw new RangeError(problem);
    await this.db.run(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)`, [id, name, this.clock.now()]);
    return id;
  }

  async projectExists(id: string): Promise<boolean> {
    return (await this.db.get(`SELECT id FROM projects WHERE id = ?`, [id])) !== undefined;
  }

  async countUsers(): Promise<number> {
    const row = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM users`);
    return Number(row?.n ?? 0);
  }

  /** Creates a user with a scrypt-hashed password. @throws if the username is taken. */
  async createUser(username: string, password: string): Promise<User> {
    const id = newId();
    await this.db.run(`INSERT INTO users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)`, [
      id,
      username,
      await hashPassword(password, this.scryptCost),
      this.clock.now(),
    ]);
    return { id, username };
  }

  /** Gives `userId` `role` in `projectId` (replacing an earlier role). */
  async grant(userId: string, projectId: string, role: Role): Promise<void> {
    await this.db.run(
      `INSERT INTO memberships (user_id, project_id, role) VALUES (?, ?, ?)
       ON CONFLICT (user_id, project_id) DO UPDATE SET role = excluded.role`,
      [userId, projectId, role],
    );
    this.cache?.dropRoles();
  }

  /** True when `username` is taken (usernames are global, as in Keystone). */
  async usernameTaken(username: string): Promise<boolean> {
    return (await this.db.get(`SELECT id FROM users WHERE username = ?`, [username])) !== undefined;
  }

  /** The users of `projectId` with their roles, by username. */
  async members(projectId: string): Promise<Member[]> {
    const rows = await this.db.all<{ id: string; username: string; role: Role }>(
      `SELECT u.id, u.username, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? ORDER BY u.username`,
      [projectId],
    );
    return rows.map((r) => ({ id: r.id, username: r.username, role: r.role }));
  }

  /** One user of `projectId`, or undefined (also for a user of another project only). */
  async member(projectId: string, userId: string): Promise<Member | undefined> {
    const row = await this.db.get<{ id: string; username: string; role: Role }>(
      `SELECT u.id, u.username, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? AND u.id = ?`,
      [projectId, userId],
    );
    return row === undefined ? undefined : { id: row.id, username: row.username, role: row.role };
  }

  /** Replaces a user's password (scrypt) and revokes their tokens. */
  async setPassword(userId: string, password: string): Promise<void> {
    await this.db.run(`UPDATE users SET password_hash = ? WHERE id = ?`, [await hashPassword(password, this.scryptCost), userId]);
    await this.db.run(`DELETE FROM tokens WHERE user_id = ?`, [userId]);
    this.cache?.dropTokens();
  }

  /**
   * Removes `userId` from `projectId`; a user left without any project is deleted with their
   * API keys and tokens.
   */
  async removeMember(userId: string, projectId: string): Promise<void> {
    await this.db.run(`DELETE FROM memberships WHERE user_id = ? AND project_id = ?`, [userId, projectId]);
    this.cache?.dropRoles();
    const left = await this.db.get(`SELECT project_id FROM memberships WHERE user_id = ? LIMIT 1`, [userId]);
    if (left === undefined) {
      await this.db.run(`DELETE FROM tokens WHERE user_id = ?`, [userId]);
      await this.db.run(`DELETE FROM users WHERE id = ?`, [userId]);
      this.cache?.dropTokens();
    }
  }

  /** Creates an API key for a user; the key is returned once and stored hashed. */
  async createApiKey(userId: string): Promise<string> {
    const key = newSecret();
    await this.db.run(`INSERT INTO api_keys (key_hash, user_id, created_at) VALUES (?, ?, ?)`, [sha256Hex(key), userId, this.clock.now()]);
    return key;
  }

  /** The user when `password` is right, else undefined. */
  async checkPassword(username: string, password: string): Promise<User | undefined> {
    const row = await this.db.get<{ id: string; username: string; password_hash: string | null }>(
      `SELECT id, username, password_hash FROM users WHERE username = ?`,
      [username],
    );
    // Verify against a dummy hash of the same cost for unknown users, so timing does not reveal
    // which names exist.
    this.dummyHash ??= hashPassword(newSecret(), this.scryptCost);
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.dummyHash));
    return ok && row !== undefined ? { id: row.id, username: row.username } : undefined;
  }

  /** The user when `apiKey` is one of theirs, else undefined. */
  async checkApiKey(username: string, apiKey: string): Promise<User | undefined> {
    const digest = sha256Hex(apiKey);
    const row = await this.db.get<{ id: string; username: string; key_hash: string }>(
      `SELECT u.id, u.username, k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ? AND u.username = ?`,
      [digest, username],
    );
    return row !== undefined && sameDigest(row.key_hash, digest) ? { id: row.id, username: row.username } : undefined;
  }

  async memberships(userId: string): Promise<Membership[]> {
    const rows = await this.db.all<{ project_id: string; role: Role }>(`SELECT project_id, role FROM memberships WHERE user_id = ? ORDER BY project_id`, [userId]);
    return rows.map((r) => ({ projectId: r.project_id, role: r.role }));
  }

  async roleIn(userId: string, projectId: string): Promise<Role | undefined> {
    const now = this.clock.now();
    const cached = this.cache?.role(userId, projectId, now);
    if (cached !== undefined) return cached.role;
    const row = await this.db.get<{ role: Role }>(`SELECT role FROM memberships WHERE user_id = ? AND project_id = ?`, [userId, projectId]);
    this.cache?.setRole(userId, projectId, row?.role, now);
    return row?.role;
  }

  /** Issues a token valid for `ttlMs`; returns the secret (stored hashed). */
  async issueToken(identity: Omit<TokenIdentity, "expiresAt">, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
    const token = newSecret();
    const now = this.clock.now();
    const expiresAt = now + ttlMs;
    await this.db.run(`INSERT INTO tokens (token_hash, user_id, project_id, agent_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`, [
      sha256Hex(token),
      identity.userId,
      identity.projectId,
      identity.agentId,
      expiresAt,
      now,
    ]);
    return { token, expiresAt };
  }

  /** Who `token` speaks for, or undefined when it is unknown or expired. */
  async resolveToken(token: string): Promise<TokenIdentity | undefined> {
    if (token.length === 0 || token.length > 256) return undefined;
    const digest = sha256Hex(token);
    const now = this.clock.now();
    const cached = this.cache?.token(digest, now);
    if (cached !== undefined) return cached;
    const row = await this.db.get<{ token_hash: string; user_id: string | null; agent_id: string | null; project_id: string | null; expires_at: number }>(
      `SELECT token_hash, user_id, agent_id, project_id, expires_at FROM tokens WHERE token_hash = ?`,
      [digest],
    );
    if (row === undefined || !sameDigest(row.token_hash, digest)) return undefined;
    if (Number(row.expires_at) <= now) return undefined;
    const identity = { userId: row.user_id, agentId: row.agent_id, projectId: row.project_id, expiresAt: Number(row.expires_at) };
    this.cache?.setToken(digest, identity, now);
    return identity;
  }

  /** Revokes every token of an agent (on delete or re-registration). */
  async revokeAgentTokens(agentId: string): Promise<void> {
    await this.db.run(`DELETE FROM tokens WHERE agent_id = ?`, [agentId]);
    this.cache?.dropTokens();
  }

  /** Deletes expired tokens; returns how many. */
  async purgeExpiredTokens(): Promise<number> {
    return (await this.db.run(`DELETE FROM tokens WHERE expires_at <= ?`, [this.clock.now()])).changes;
  }
}
