// Runs before the app's modules (a classic script ahead of the module script in index.html): zod
// builds its schemas "jitless", without the `new Function` probe and the compiled parsers. The
// gateway's and nginx's Content-Security-Policy has no 'unsafe-eval', and Chromium reports even the
// probe zod catches as a violation. zod reads its config from this global, shared by every copy
// of zod on the page (z.config() writes the same object); it must be set before @goorm/contracts
// builds its schemas, which happens while the app's chunks load, before main.ts runs.
(globalThis.__zod_globalConfig ??= {}).jitless = true;
