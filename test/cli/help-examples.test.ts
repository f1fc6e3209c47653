// The examples printed by `phantom --help` and `phantom <command> --help` (the built binary, as users see
// them) parse: every `phantom …` in an example line goes through that command's own argv → options step
// (parseXArgs: the command's flag declarations and cross-flag checks, no I/O), so a renamed flag, a bad
// value or a flag combination the command refuses fails here instead of in a user's terminal.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/registry.js';
import { phantom } from '../support/cli.js';

type Parse = (argv: readonly string[]) => unknown;

/** The `$ …` lines after "Examples:" in a help text. */
function helpExamples(help: string): string[] {
  const at = help.indexOf('\nExamples:\n');
  if (at < 0) return [];
  return help.slice(at).split('\n').map((l) => l.trim()).filter((l) => l.startsWith('$ ')).map((l) => l.slice(2));
}

/** Shell words of one line: quotes and backslashes as sh reads them; `|`, `&&`, `;` and `>` as separate words; `#` starts a comment; `<name>` is a placeholder word. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '', inWord = false, i = 0;
  const flush = (): void => { if (inWord) words.push(word); word = ''; inWord = false; };
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word += line.slice(i + 1, end); inWord = true; i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') { if (line[i] === '\\' && i + 1 < line.length) i++; word += line[i]; i++; }
      if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
      inWord = true; i++;
    } else if (/^<[\w-]+>/.test(line.slice(i))) {
      const m = /^<[\w-]+>/.exec(line.slice(i))![0]; // a placeholder such as <command>, not a redirection
      word += m; inWord = true; i += m.length;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1]; inWord = true; i += 2;
    } else if (/\s/.test(c)) {
      flush(); i++;
    } else if (c === '#' && !inWord) {
      break;
    } else if (line.startsWith('&&', i) || c === '|' || c === ';' || c === '>') {
      flush(); const op = line.startsWith('&&', i) ? '&&' : c; words.push(op); i += op.length;
    } else {
      word += c; inWord = true; i++;
    }
  }
  flush();
  return words;
}

/** The argv of every `phantom …` simple command in a line (after any VAR=value prefixes; redirections dropped). */
function phantomInvocations(line: string): string[][] {
  const out: string[][] = [];
  let simple: string[] = [];
  const end = (): void => {
    let k = 0;
    while (k < simple.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(simple[k]!)) k++;
    if (simple[k] === 'phantom') out.push(simple.slice(k + 1));
    simple = [];
  };
  const words = shellWords(line);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '|' || w === '&&' || w === ';') end();
    else if (w === '>') i++; // the redirection target is not an argument
    else simple.push(w);
  }
  end();
  return out;
}

async function parserOf(name: string): Promise<Parse> {
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) throw new Error(`no command '${name}'`);
  const pascal = name.split('-').map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  const parse = (await entry.load() as unknown as Record<string, unknown>)[`parse${pascal}Args`];
  if (typeof parse !== 'function') throw new Error(`src/commands/${name}.ts exports no parse${pascal}Args`);
  return parse as Parse;
}

/** Parse one invocation with its command's own flags; '' when it parses, else the error a user would get. */
async function parseError(argv: string[]): Promise<string> {
  const [name, ...rest] = argv;
  if (name === undefined) return 'no command';
  if (name === '<command>') return rest.every((w) => w === '--help' || w === '-h') ? '' : 'placeholder command with arguments';
  try {
    (await parserOf(name))(rest);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('help examples', () => {
  it('the line splitter reads quotes, pipes, redirections and comments as sh does', () => {
    expect(phantomInvocations(`PHANTOM_TOKEN=s3cret phantom serve --token-env PHANTOM_TOKEN   # a comment with --bogus`)).toEqual([['serve', '--token-env', 'PHANTOM_TOKEN']]);
    expect(phantomInvocations(`zcat a.gz | phantom export - --log-format '$remote_addr "$request"' -o e.parquet`)).toEqual([['export', '-', '--log-format', '$remote_addr "$request"', '-o', 'e.parquet']]);
    expect(phantomInvocations('phantom a --x 1 && phantom b --json > out.json')).toEqual([['a', '--x', '1'], ['b', '--json']]);
    expect(phantomInvocations('phantom pipeline --fail-if-p-above 0.01#x')).toEqual([['pipeline', '--fail-if-p-above', '0.01#x']]);
  });

  it('parsing catches what a stale example gets wrong', async () => {
    expect(await parseError(['kernels', 'events.parquet', '-o', 'k.json'])).toBe('');
    expect(await parseError(['kernels', 'events.parquet', '--no-such-flag'])).toMatch(/unknown option/);
    expect(await parseError(['distill', 'model.json', 's.parquet', '-o', 'r.json', '--human-safe', '2:1'])).toMatch(/--human-safe/);
    expect(await parseError(['distill', 's.parquet', '-o', 'r.json', '--target-column', 'x', '--agent-weight', '0.4'])).toMatch(/do not apply/);
  });

  for (const name of ['', ...COMMANDS.map((c) => c.name)]) {
    const title = name === '' ? 'phantom --help' : `phantom ${name} --help`;
    it(`${title}: every example parses with the flags of its command`, async () => {
      const r = phantom(name === '' ? ['--help'] : [name, '--help']);
      expect(r.code, r.stderr).toBe(0);
      const examples = helpExamples(r.stdout);
      expect(examples.length, `${title} shows no examples`).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const line of examples) {
        const calls = phantomInvocations(line);
        if (calls.length === 0) problems.push(`${line}\n    runs no phantom command`);
        if (name !== '' && !calls.some((argv) => argv[0] === name)) problems.push(`${line}\n    does not run phantom ${name}`);
        for (const argv of calls) {
          const error = await parseError(argv);
          if (error !== '') problems.push(`${line}\n    phantom ${argv.join(' ')}: ${error}`);
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});
