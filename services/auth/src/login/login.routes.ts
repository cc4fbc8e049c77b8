import type { ApiRouter } from '@goorm/common';
import { loginBody, loginResponse, userSchema } from './login.schemas.ts';
import type { LoginService } from './login.service.ts';

const tags = ['login'];

export function loginRoutes(api: ApiRouter, login: LoginService) {
  api.post(
    '/login',
    {
      summary: 'Sign in as a student (student number) or a staff member (login id); answers an access token',
      tags,
      access: 'public',
      body: loginBody,
      responses: {
        200: { description: 'Signed in', schema: loginResponse },
        401: { description: 'Unknown account or wrong password (the same answer for both)' },
        429: { description: 'Too many failed attempts: see Retry-After' },
      },
    },
    async ({ body }, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await login.login(body));
    },
  );

  api.get(
    '/me',
    { summary: 'The signed-in caller, as stored now', tags, access: 'authenticated', responses: { 200: { description: 'The caller', schema: userSchema } } },
    async ({ user }, res) => {
      res.json(await login.me(user!));
    },
  );
}
