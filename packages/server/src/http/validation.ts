// JSON-schema validation of every body, query string, path parameter and header (Ajv 8).
// Bodies are validated strictly (no type coercion: `"true"` is not a boolean); query strings,
// params and headers are text, so they are coerced to the declared types.
// Unknown fields are ignored ([our choice], spec §2.4: older clients send removed ones such as
// `path_encoded`): every object schema that lists its `properties` is closed before compiling,
// so Ajv drops unknown fields at every depth — nothing a client invents is stored, echoed
// back or carried into pagination links.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { FastifySchemaCompiler } from "fastify";

const bodyAjv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: true, useDefaults: false, strict: false });
const textAjv = new Ajv({ allErrors: true, coerceTypes: "array", removeAdditional: true, useDefaults: true, strict: false });

/**
 * A copy of `schema` in which every object schema with `properties` and no explicit
 * `additionalProperties` gets `additionalProperties: false` (so `removeAdditional` drops
 * unknown fields). Headers are left open: clients send many.
 */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "properties" && v !== null && typeof v === "object") {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, closeObjects(sub)]));
    } else if (k === "enum" || k === "const" || k === "default" || k === "required") {
      out[k] = v;
    } else {
      out[k] = closeObjects(v);
    }
  }
  if ("properties" in out && !("additionalProperties" in out)) out.additionalProperties = false;
  return out;
}

/** Fastify validator compiler: strict for bodies, coercing for everything else; unknown fields dropped. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === "body" ? bodyAjv : textAjv;
  const fn: ValidateFunction = ajv.compile((httpPart === "headers" ? schema : closeObjects(schema)) as object);
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
  const fn = bodyAjv.compile(closeObjects(schema) as object);
  return (value) => (fn(value) ? undefined : describeValidationErrors(fn.errors ?? [], label).join("; "));
}
