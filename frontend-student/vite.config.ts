import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/** Served by the gateway at `/`; in development `/api` is proxied to the local gateway. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  // vue-i18n's compile-time flags: Composition API only (the legacy API is tree-shaken), no <i18n-t> components,
  // messages compiled at runtime from src/i18n/*.ts, no devtools in production. vue-i18n 11 compiles a message to an AST and
  // interprets it (no `new Function`), so the gateway's CSP needs no 'unsafe-eval' (services/gateway/src/app.ts).
  define: {
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the production build: they would publish the sources (issue #17).
    sourcemap: false,
    rolldownOptions: {
      output: {
        // One long-cached chunk for the libraries (vue, vue-router, pinia, vue-i18n); the app's entry; one lazily
        // loaded chunk per route (src/router/index.ts) plus the chunks those pages share.
        codeSplitting: { groups: [{ name: 'vendor', test: /[\\/]node_modules[\\/]/ }] },
      },
    },
  },
});
