/**
 * Read the IF/THEN text of `exportText` back into rules, so a test (or a reviewer's script) can check
 * every printed rule against the JSON rules table and against the tree's own predictions.
 */
import { UsageError } from '../../errors.js';

export interface ParsedCondition {
  feature: string;
  op: '<=' | '>';
  threshold: number;
  orMissing: boolean;
}

export interface ParsedRule {
  conditions: ParsedCondition[];
  /** `value = …` (regression) or the class index of `class = …`. */
  value: number;
  /** Class name printed in parentheses after the class index, if any. */
  label?: string;
  samples: number;
  proba?: number[];
  /** Any other `name = number` field (the auxiliary column); null for `n/a`. */
  aux?: { name: string; value: number | null };
}

const IF_LINE = /^IF (.+) (<=|>) (\S+?)( or missing)?$/;
const CLASS_FIELD = /^class = (\d+)(?: \((.*)\))?$/;

function parseNumber(s: string, lineNo: number): number {
  const v = Number(s);
  if (s.trim() === '' || Number.isNaN(v)) throw new UsageError(`rules text line ${lineNo}: "${s}" is not a number`);
  return v;
}

/**
 * Parse rules text into one entry per THEN line, each with the IF conditions above it.
 * @example parseRulesText(exportText(tree)).length === exportRules(tree).length
 */
export function parseRulesText(text: string): ParsedRule[] {
  const rules: ParsedRule[] = [];
  const path: ParsedCondition[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (raw.trim() === '') return;
    let depth = 0;
    let rest = raw;
    while (rest.startsWith('|   ')) {
      depth++;
      rest = rest.slice(4);
    }
    if (depth > path.length) throw new UsageError(`rules text line ${lineNo}: indented deeper than its parent`);
    const cond = IF_LINE.exec(rest);
    if (cond) {
      path.length = depth;
      path.push({ feature: cond[1]!, op: cond[2] as '<=' | '>', threshold: parseNumber(cond[3]!, lineNo),
        orMissing: cond[4] !== undefined });
      return;
    }
    if (!rest.startsWith('THEN ')) throw new UsageError(`rules text line ${lineNo}: expected IF or THEN: "${raw}"`);
    const fields = rest.slice(5).split(' | ');
    const head = fields.shift()!;
    const rule: ParsedRule = { conditions: path.slice(0, depth), value: NaN, samples: NaN };
    const cls = CLASS_FIELD.exec(head);
    if (cls) {
      rule.value = Number(cls[1]);
      if (cls[2] !== undefined) rule.label = cls[2];
    } else if (head.startsWith('value = ')) {
      rule.value = parseNumber(head.slice(8), lineNo);
    } else {
      throw new UsageError(`rules text line ${lineNo}: a THEN line starts with "value =" or "class =": "${raw}"`);
    }
    for (const field of fields) {
      const eq = field.indexOf(' = ');
      if (eq < 0) throw new UsageError(`rules text line ${lineNo}: field "${field}" is not "name = value"`);
      const key = field.slice(0, eq), val = field.slice(eq + 3);
      if (key === 'samples') rule.samples = parseNumber(val, lineNo);
      else if (key === 'proba') rule.proba = val.split(' ').map((s) => parseNumber(s, lineNo));
      else rule.aux = { name: key, value: val === 'n/a' ? null : parseNumber(val, lineNo) };
    }
    if (Number.isNaN(rule.samples)) throw new UsageError(`rules text line ${lineNo}: missing "samples = …"`);
    rules.push(rule);
    path.length = depth;
  });
  return rules;
}
