// JSON-schema validation of every body, query string, path parameter and header (Ajv 8).
// Bodies are validated strictly (no type coercion: `"true"` is not a boolean); query strings,
// params and headers are text, so they are coerced to the declared types. Unknown body
// fields are dropped where a schema says `additionalProperties: false` ([our choice]: ignore
// unknown fields, as older clients send removed ones such as `path_encoded`).
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { FastifySchemaCompiler } from "fastify";

const bodyAjv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: true, useDefaults: false, strict: false });
const textAjv = new Ajv({ allErrors: true, coerceTypes: "array", removeAdditional: true, useDefaults: true, strict: false });

/** Fastify validator compiler: strict for bodies, coercing for everything else. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const fn: ValidateFunction = (httpPart === "body" ? bodyAjv : textAjv).compile(schema as object);
  return fn as never;
};

const where = (context: string, instancePath: string): string => {
  const path = instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join("");
  const root = context === "querystring" ? "query" : context;
  return `${root}${path}`;
};

/** One readable line per Ajv error, e.g. `body.host.flavor must be one of: nova, …`. */
export function describeValidationErrors(errors: readonly ErrorObject[], context: string): string[] {
  const lines = errors.map((e) => {
    const at = where(context, e.instancePath);
    switch (e.keyword) {
      case "required":
        return `${at}.${String(e.params.missingProperty)} is required`;
      case "enum":
        return `${at} must be one of: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
      case "type":
        return `${at} must be of type ${String(e.params.type)}`;
      case "additionalProperties":
        return `${at}.${String(e.params.additionalProperty)} is not allowed`;
      default:
        return `${at} ${e.message ?? "is invalid"}`;
    }
  });
  return [...new Set(lines)];
}

/** A value check (for JSON Patch values) from a JSON schema, with the same strict rules as bodies. */
export function schemaCheck(schema: object, label = "value"): (value: unknown) => string | undefined {
  const fn = bodyAjv.compile(schema);
  return (value) => (fn(value) ? undefined : describeValidationErrors(fn.errors ?? [], label).join("; "));
}
