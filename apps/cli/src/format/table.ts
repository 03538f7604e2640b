// Plain-text tables: columns padded to their widest cell, the last column left ragged.

/** Rows of cells (first row is the header) as aligned lines. */
export function formatTable(rows: readonly (readonly string[])[], align: readonly ("left" | "right")[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        if (i === row.length - 1 && align[i] !== "right") return cell;
        const pad = " ".repeat((widths[i] ?? 0) - [...cell].length);
        return align[i] === "right" ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd(),
  );
}
