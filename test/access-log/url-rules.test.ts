// Resource kinds and event names from URL rules (docs/access-logs.md).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultResourceKind, loadEventRules, loadResourceRules, UrlClassifier } from '../../src/access-log/url-rules.js';
import { UsageError } from '../../src/errors.js';

const file = (name: string, text: string): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'phantom-rules-')), name);
  writeFileSync(p, text);
  return p;
};

describe('default resource kinds', () => {
  it('classifies by path and extension', () => {
    const cases: [string | null, string][] = [
      ['/', 'page'], ['/shop/products/p1', 'page'], ['/index.php', 'page'], ['/robots.txt', 'robots'], ['/favicon.ico', 'asset'],
      ['/static/app.js', 'asset'], ['/assets/x', 'asset'], ['/img/a.webp', 'asset'], ['/api/cart', 'api'], ['/graphql', 'api'], ['/feed.xml', 'api'],
      ['/collect', 'beacon'], ['/g/collect', 'beacon'], ['/track/event', 'beacon'], ['/files/report.pdf', 'other'], ['*', 'other'], [null, 'other'],
    ];
    for (const [path, kind] of cases) expect(defaultResourceKind(path), String(path)).toBe(kind);
  });
});

describe('rules files', () => {
  it('resource rules come first, in order, and may require a method', async () => {
    const c = new UrlClassifier(await loadResourceRules(file('r.json', '[{"match": "^/media/", "kind": "asset"}, {"match": "^/search", "method": "post", "kind": "api"}]')));
    expect(c.kind('GET', '/media/x', null)).toBe('asset');
    expect(c.kind('POST', '/search', 'q=1')).toBe('api');
    expect(c.kind('GET', '/search', 'q=1')).toBe('page');
  });

  it('event rules name events, capture productId and eventName, filter on method and kind', async () => {
    const rules = await loadEventRules(file('e.json', JSON.stringify([
      { match: '^/p/(?<productId>[^/?]+)$', event: 'view_item_page' },
      { match: '^/collect\\?e=(?<eventName>[a-z_]+)', kind: 'beacon' },
      { match: '^/cart$', event: 'add_item_to_cart', method: 'POST' },
    ])));
    const c = new UrlClassifier([], rules);
    expect(c.event('GET', '/p/42', null, 'page')).toEqual({ eventName: 'view_item_page', productId: '42' });
    expect(c.event('POST', '/collect', 'e=hover_over_title', 'beacon')).toEqual({ eventName: 'hover_over_title', productId: null });
    expect(c.event('POST', '/collect', 'e=hover_over_title', 'api')).toEqual({ eventName: 'request', productId: null });
    expect(c.event('GET', '/cart', null, 'page')).toEqual({ eventName: 'page_view', productId: null });
    expect(c.event('POST', '/cart', null, 'page')).toEqual({ eventName: 'add_item_to_cart', productId: null });
  });

  it('a bad rules file is a usage error naming it and the problem', async () => {
    await expect(loadEventRules(file('a.json', '{"match": 1}'))).rejects.toThrow(UsageError);
    await expect(loadEventRules(file('b.json', '[{"match": "(", "event": "x"}]'))).rejects.toThrow(/rule 1: "\(" is not a regular expression/);
    await expect(loadEventRules(file('c.json', '[{"match": "^/x"}]'))).rejects.toThrow(/neither "event" nor a named capture/);
    await expect(loadResourceRules(file('d.json', '[{"match": "^/x", "kind": "video"}]'))).rejects.toThrow(/kind/);
    await expect(loadResourceRules('/nonexistent/rules.json')).rejects.toThrow(/no such file/);
  });
});
