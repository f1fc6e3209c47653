// A small well-formedness check for the SVG phantom writes (no XML parser among the dependencies):
// balanced tags, quoted attributes, escaped text, and no NaN/undefined leaking into the markup.

/** Problems found in an SVG document (empty when it is well formed). */
export function svgProblems(svg: string): string[] {
  const problems: string[] = [];
  if (!svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')) problems.push('does not start with an <svg xmlns=…> root');
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const m of svg.matchAll(tag)) {
    const between = svg.slice(last, m.index);
    if (/[<>]/.test(between)) problems.push(`stray markup near ${JSON.stringify(between.slice(0, 40))}`);
    if (/&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(between)) problems.push(`unescaped & in ${JSON.stringify(between.slice(0, 40))}`);
    last = m.index! + m[0].length;
    const [, close, name, attrs, self] = m;
    if (/\b(NaN|undefined|Infinity)\b/.test(attrs!.replace(/data-value="[^"]*"/g, ''))) problems.push(`non-finite attribute in <${name}${attrs}>`);
    if (close) {
      if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
    } else if (!self) stack.push(name!);
  }
  if (svg.slice(last).trim() !== '') problems.push('content after the root element');
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  const unmatched = svg.replace(tag, '').match(/<[^>]*>?/);
  if (unmatched) problems.push(`unparsed markup ${JSON.stringify(unmatched[0].slice(0, 40))}`);
  return problems;
}

/** Values of one attribute over the elements with a given class. */
export function attributeValues(svg: string, cls: string, attr: string): string[] {
  return [...svg.matchAll(new RegExp(`<[a-z]+ class="${cls}"[^>]*\\b${attr}="([^"]*)"`, 'g'))].map((m) => m[1]!);
}
