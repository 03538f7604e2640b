// Roles and the §5 permission matrix. A route names the least role it needs; the more
// permissive role wins. Agent tokens act as `creator`, limited to their own agent.

/** Project roles, least to most permissive. */
export type Role = "observer" | "creator" | "admin";

/** What a route requires: a role, or nothing at all (`public`). */
export type Requirement = Role | "public";

const RANK: Record<Role, number> = { observer: 1, creator: 2, admin: 3 };

/** True when `role` is in the role list. Accepts `cloudbackup:`-prefixed names. */
export function parseRole(name: string): Role | undefined {
  const bare = name.startsWith("cloudbackup:") ? name.slice("cloudbackup:".length) : name;
  return bare === "observer" || bare === "creator" || bare === "admin" ? bare : undefined;
}

/** True when `role` satisfies `required`. */
export function allows(role: Role, required: Requirement): boolean {
  return required === "public" || RANK[role] >= RANK[required];
}
