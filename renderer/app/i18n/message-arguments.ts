import IntlMessageFormat from 'intl-messageformat';

/** The AST node kinds of intl-messageformat's parser that name an argument ({name, kind, …}). */
const KIND_NAMES: Record<number, string> = {
  1: 'text',
  2: 'number',
  3: 'date',
  4: 'time',
  5: 'select',
  6: 'plural',
};

interface Node {
  type: number;
  value?: unknown;
  options?: Record<string, { value: Node[] }>;
  children?: Node[];
}

function collect(nodes: readonly Node[], into: Set<string>): void {
  for (const node of nodes) {
    const kind = KIND_NAMES[node.type];
    if (kind && typeof node.value === 'string') into.add(`${node.value}:${kind}`);
    for (const option of Object.values(node.options ?? {})) collect(option.value, into);
    if (node.children) collect(node.children, into);
  }
}

/**
 * A message's arguments as "name:kind" ("count:plural", "at:date", "name:text"), sorted, for
 * checking that German and English ask for the same values in the same way. Throws on a message
 * that is not valid ICU MessageFormat.
 */
export function messageArguments(template: string): string[] {
  const ast = new IntlMessageFormat(template, 'en', undefined, { ignoreTag: true }).getAst();
  const names = new Set<string>();
  collect(ast as unknown as Node[], names);
  return [...names].sort();
}
