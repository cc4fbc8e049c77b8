/// <reference types="vite/client" />
/// <reference types="@testing-library/jest-dom/vitest" />

interface ImportMetaEnv {
  readonly VITE_API_BASE?: string;
  readonly VITE_QUEUE_POLL_MS?: string;
  readonly VITE_NOTICE_POLL_MS?: string;
  readonly VITE_PERIODS?: string;
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
