import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { onUnauthorized } from './api/http.ts';
import { createAppI18n } from './i18n/index.ts';
import { createAppRouter } from './router/index.ts';
import { useSessionStore } from './stores/session.ts';
import './styles.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const router = createAppRouter();
app.use(router);
app.use(createAppI18n());

// A 401 on any signed-in call means the session is over: forget it and go to login with a message.
onUnauthorized(() => {
  useSessionStore().expire();
  if (router.currentRoute.value.name !== 'login') void router.push({ name: 'login', query: { reason: 'expired' } });
});

void router.isReady().then(() => app.mount('#app'));
