// JSON-schema building blocks shared by route bodies.

/** A non-empty string of at most `max` characters. */
export const text = (max: number): Record<string, unknown> => ({ type: "string", minLength: 1, maxLength: max });

/** `{type: "file"|"folder", path}`; `path_encoded` is accepted and ignored ([our choice]). */
export const pathRuleSchema = {
  type: "object",
  required: ["type", "path"],
  additionalProperties: false,
  properties: { type: { type: "string", enum: ["file", "folder"] }, path: { type: "string", minLength: 1, maxLength: 4096 } },
} as const;

/** A list of path rules. */
export const pathRulesSchema = { type: "array", maxItems: 10_000, items: pathRuleSchema } as const;

/** Hex text (lower or upper case) of 1..max characters. */
export const hex = (max: number): Record<string, unknown> => ({ type: "string", minLength: 1, maxLength: max, pattern: "^[0-9A-Fa-f]+$" });

/** An encrypted password: RSA ciphertext as hex. */
export const encryptedPasswordSchema = hex(8192);

/** An empty-object query (for routes without query parameters). */
export const noQuery = { type: "object", properties: {} } as const;

/** Log levels (spec §2.1). */
export const LOG_LEVELS = ["all", "trace", "debug", "info", "warn", "error", "fatal"] as const;
