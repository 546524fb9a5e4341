/**
 * Where a JSON Schema leaves an object open or a property undescribed: every schema node with `properties` must
 * set `additionalProperties: false`, and each of its properties needs a `description` (editors show it) or a `$ref`.
 */
export function openOrUndescribed(schema: unknown, name: string): string[] {
  const problems: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const s = node as Record<string, unknown>;
    if (s['properties']) {
      if (s['additionalProperties'] !== false) problems.push(`${path}: additionalProperties is not false`);
      for (const [key, child] of Object.entries(s['properties'] as Record<string, Record<string, unknown>>)) {
        if (!child['description'] && !child['$ref']) problems.push(`${path}.${key}: no description`);
      }
    }
    for (const [key, child] of Object.entries(s)) walk(child, `${path}.${key}`);
  };
  walk(schema, name);
  return problems;
}
