// The app's own words, read from its locale files (app/locales/*.json), so a
// journey looks for what the page shows rather than a copy that can drift.
//
//   t('ar', 'wizard.next')                                  → 'التالي'
//   t('en', 'wizard.progress', { current: 2, total: 5 })    → 'Step 2 of 5'
//
// A key that is missing, or a `{{ var }}` left without a value, throws: the
// journey fails at the lookup, naming it, rather than at a locator that never
// matches.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Language = 'ar' | 'en';

type Tree = { [key: string]: string | Tree };

const localesDir = join(__dirname, '..', '..', 'app', 'locales');
const trees = new Map<Language, Tree>();

function tree(language: Language): Tree {
  let loaded = trees.get(language);
  if (!loaded) {
    loaded = JSON.parse(readFileSync(join(localesDir, `${language}.json`), 'utf8')) as Tree;
    trees.set(language, loaded);
  }
  return loaded;
}

/** The text of `key` ("section.key") in `language`, with `{{ name }}` filled from `vars`. */
export function t(language: Language, key: string, vars: Record<string, string | number> = {}): string {
  let node: string | Tree | undefined = tree(language);
  for (const part of key.split('.')) {
    node = typeof node === 'object' ? node[part] : undefined;
  }
  if (typeof node !== 'string') throw new Error(`no text ${language}:${key} in app/locales/${language}.json`);
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`${language}:${key} needs a value for {{ ${name} }}`);
    return String(vars[name]);
  });
}

/** `t` bound to one language: `const ar = words('ar'); ar('wizard.next')`. */
export function words(language: Language): (key: string, vars?: Record<string, string | number>) => string {
  return (key, vars) => t(language, key, vars);
}
