import type { ApiRouter } from '@goorm/common';
import { authApi } from '@goorm/contracts';
import type { LoginService } from './login.service.ts';

const { login, me } = authApi.endpoints;

export function loginRoutes(api: ApiRouter, service: LoginService) {
  api.route(login, async ({ body }, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await service.login(body));
  });

  api.route(me, async ({ user }, res) => {
    res.json(await service.me(user!));
  });
}
