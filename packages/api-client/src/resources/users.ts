// Users of the project (Cairn extension, docs/api.md): admins list, create, update and remove
// users and issue API keys; any user may issue API keys for themself.
import type { Core } from "../internal/core.js";
import type { CallOptions } from "../internal/transport.js";
import type { PatchOperation } from "../patch.js";
import type { ApiKey, ProjectUser, Role } from "../types.js";

/** `client.users`. */
export class Users {
  constructor(private readonly core: Core) {}

  async list(options?: CallOptions): Promise<ProjectUser[]> {
    return (await this.core.get<{ users: ProjectUser[] }>(["users"], undefined, options)).users;
  }

  /** Creates a user with `role`; without `password` one is generated and returned (only here). */
  create(input: { username: string; role: Role; password?: string }, options?: CallOptions): Promise<ProjectUser & { password?: string }> {
    return this.core.post(["users"], input, options);
  }

  get(userId: string, options?: CallOptions): Promise<ProjectUser> {
    return this.core.get(["users", userId], undefined, options);
  }

  /** JSON Patch (replace only): `/role`, `/password`. */
  update(userId: string, operations: readonly PatchOperation[], options?: CallOptions): Promise<void> {
    return this.core.patch(["users", userId], operations, options);
  }

  /** Removes the user from the project (the last admin cannot be removed). */
  delete(userId: string, options?: CallOptions): Promise<void> {
    return this.core.delete(["users", userId], options);
  }

  /** Issues an API key (returned once) for `RAX-KSKEY:apiKeyCredentials`. */
  createApiKey(userId: string, options?: CallOptions): Promise<ApiKey> {
    return this.core.post(["users", userId, "api-keys"], undefined, options);
  }
}
