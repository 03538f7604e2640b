// Every route of the API, in one place.
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { SERVER_VERSION } from "../version.js";
import { registerActivityRoutes } from "./activities.js";
import { registerAgentChannelRoutes } from "./agentChannel.js";
import { registerAgentRoutes } from "./agents.js";
import { registerAgentTokenRoutes } from "./agentTokens.js";
import { registerBackupRoutes } from "./backups.js";
import { registerBrowseRoutes } from "./browse.js";
import { registerCleanupRoutes } from "./cleanups.js";
import { registerConfigurationRoutes } from "./configurations.js";
import { registerEventRoutes } from "./events.js";
import { registerIdentityRoutes } from "./identity.js";
import { registerJobRoutes } from "./jobs.js";
import { registerLogfileRoutes } from "./logfiles.js";
import { registerRestoreRoutes } from "./restores.js";
import { registerRootRoutes } from "./root.js";
import { registerSettingsRoutes } from "./settings.js";
import { registerUserRoutes } from "./users.js";
import { registerVaultRoutes } from "./vault.js";
import { registerVaultDataRoutes } from "./vaultData.js";

/** Registers the whole API on `app`. */
export function registerAllRoutes(app: FastifyInstance, ctx: AppContext, openapi: () => unknown): void {
  registerRootRoutes(app, ctx, openapi, SERVER_VERSION);
  registerIdentityRoutes(app, ctx);
  registerAgentTokenRoutes(app, ctx);
  registerAgentRoutes(app, ctx);
  registerAgentChannelRoutes(app, ctx);
  registerBrowseRoutes(app, ctx);
  registerVaultRoutes(app, ctx);
  registerVaultDataRoutes(app, ctx);
  registerLogfileRoutes(app, ctx);
  registerConfigurationRoutes(app, ctx);
  registerBackupRoutes(app, ctx);
  registerRestoreRoutes(app, ctx);
  registerCleanupRoutes(app, ctx);
  for (const kind of ["backup", "restore", "cleanup"] as const) registerJobRoutes(app, ctx, kind);
  registerActivityRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerUserRoutes(app, ctx);
}
