import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/** Served by the gateway at `/admin/`; in development `/api` is proxied to the local gateway. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  plugins: [vue()],
  // vue-i18n's compile-time flags: Composition API only, messages compiled at runtime, no devtools in production.
  // vue-i18n 11 compiles a message to an AST and interprets it (no `new Function`): the CSP needs no 'unsafe-eval'.
  define: {
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  server: {
    port: 5174,
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the production build: they would publish the sources (issue #17).
    sourcemap: false,
    // The chart library's chunk (~670 kB, ~230 kB gzipped) loads with the dashboard only.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // The chart library is large and used by the dashboard only: its own long-cached chunk, loaded with that page.
        codeSplitting: {
          groups: [
            { name: 'charts', test: /[\\/]node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/, priority: 2 },
            { name: 'vendor', test: /[\\/]node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
