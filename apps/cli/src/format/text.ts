// Text that came from a snapshot (host names, tags, error messages) is untrusted: escape control
// and bidirectional characters before it reaches a terminal, the same way names are escaped.
import { escapeName } from "@cairn/manifest";

const encoder = new TextEncoder();

export function escapeText(text: string): string {
  return escapeName(encoder.encode(text));
}

/**
 * A message that is already escaped where it quotes snapshot names (the libraries do that), made
 * safe for a terminal anyway: control and bidirectional characters become `\xHH`-style escapes,
 * everything else (including backslashes of existing escapes) is left alone.
 */
export function printable(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
