// What the end-to-end scripts share: a headless Chromium with a fresh profile that lets no
// request leave the servers under test, and the steps a script runs and names when one fails.
import { chromium } from 'playwright-core';

// openBrowser launches Debian's chromium (or $KG_CHROMIUM) through playwright-core and opens a
// context of 1440 × 900 on a new, empty profile whose requests to any origin but origins (and
// data: and blob: URLs) are refused and listed in offsite.
export async function openBrowser(origins) {
  const browser = await chromium.launch({
    executablePath: process.env.KG_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Without the background-networking flags Chromium reaches for Google's hosts at start.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const offsite = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (origins.some((o) => url.startsWith(o)) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  return { browser, context, offsite };
}

// steps returns a runner of named steps: run.step(name, fn) runs fn, fails when a page has
// thrown (pageErrors), and prints the step with its time; run.current names the step running.
export function steps(pageErrors) {
  const run = {
    current: '',
    async step(name, fn) {
      run.current = name;
      const t0 = Date.now();
      await fn();
      if (pageErrors.length) throw new Error(`the page threw: ${pageErrors.join('; ')}`);
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    },
  };
  return run;
}
