// Summary e-mail settings (spec §3.10).
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { defineRoute } from "../http/route.js";
import type { SummarySettings } from "../store/model.js";

const notifications = {
  type: "array",
  maxItems: 100,
  items: {
    type: "object",
    required: ["type", "destination"],
    properties: { type: { type: "string", enum: ["email"] }, destination: { type: "string", minLength: 3, maxLength: 320, pattern: "^[^@\\s]+@[^@\\s]+$" } },
  },
} as const;

/** Registers GET/PUT /settings/summaries. */
export function registerSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "GET",
    path: "/settings/summaries",
    operationId: "getSummarySettings",
    summary: "Daily/weekly summary e-mail settings",
    tag: "settings",
    role: "observer",
    status: 200,
    response: { $ref: "#/components/schemas/SummarySettings" },
    async handler({ auth }) {
      return ctx.stores.settings.get(auth.projectId);
    },
  });

  defineRoute(app, ctx, {
    method: "PUT",
    path: "/settings/summaries",
    operationId: "putSummarySettings",
    summary: "Replace the summary e-mail settings (notifications required; daily/weekly default false)",
    tag: "settings",
    role: "creator",
    status: 204,
    body: { type: "object", required: ["notifications"], properties: { daily: { type: "boolean" }, weekly: { type: "boolean" }, notifications } },
    async handler({ auth, body }) {
      const b = body as Partial<SummarySettings> & Pick<SummarySettings, "notifications">;
      await ctx.stores.settings.put(auth.projectId, {
        daily: b.daily ?? false,
        weekly: b.weekly ?? false,
        notifications: b.notifications.map((n) => ({ type: n.type, destination: n.destination })),
      });
      return undefined;
    },
  });
}
