// First start with an empty database: create the first project and its admin user, from
// CAIRN_ADMIN_USER / CAIRN_ADMIN_PASSWORD (and optional CAIRN_PROJECT_ID), or with generated
// one-time credentials that the caller prints once (they are never logged).
import { randomInt } from "node:crypto";
import { newSecret } from "../ids.js";
import { projectIdProblem } from "../projectIds.js";
import type { IdentityStore } from "./identityStore.js";

/** Inputs of {@link bootstrapIdentity}. */
export interface BootstrapInput {
  adminUser?: string | undefined;
  adminPassword?: string | undefined;
  projectId?: string | undefined;
}

/** What was created (only on an empty database). `password` is set when it was generated. */
export interface BootstrapResult {
  projectId: string;
  username: string;
  generatedPassword: string | undefined;
  apiKey: string;
}

/**
 * Creates the first project and admin when there are no users yet; otherwise does nothing.
 * @throws RangeError when only one of adminUser/adminPassword is given, either is empty, or
 *   projectId cannot be a project id — checked before anything is written.
 */
export async function bootstrapIdentity(identity: IdentityStore, input: BootstrapInput): Promise<BootstrapResult | undefined> {
  if ((input.adminUser === undefined) !== (input.adminPassword === undefined)) {
    throw new RangeError("set both CAIRN_ADMIN_USER and CAIRN_ADMIN_PASSWORD, or neither");
  }
  if (input.adminUser !== undefined && (input.adminUser.length === 0 || input.adminUser.length > 255)) throw new RangeError("CAIRN_ADMIN_USER must be 1-255 characters");
  if (input.adminPassword !== undefined && input.adminPassword.length === 0) throw new RangeError("CAIRN_ADMIN_PASSWORD must not be empty");
  if (input.projectId !== undefined) {
    const problem = projectIdProblem(input.projectId);
    if (problem !== undefined) throw new RangeError(`CAIRN_PROJECT_ID: ${problem}`);
  }
  if ((await identity.countUsers()) > 0) return undefined;
  const projectId = input.projectId ?? String(randomInt(100_000, 1_000_000));
  const username = input.adminUser ?? "admin";
  const generatedPassword = input.adminPassword === undefined ? newSecret().slice(0, 24) : undefined;
  if (!(await identity.projectExists(projectId))) await identity.createProject(projectId);
  const user = await identity.createUser(username, input.adminPassword ?? (generatedPassword as string));
  await identity.grant(user.id, projectId, "admin");
  const apiKey = await identity.createApiKey(user.id);
  return { projectId, username, generatedPassword, apiKey };
}
