// Lint with zero warnings. The per-folder import rules keep the architecture's seams from eroding:
// core is pure (no node:*, no server/client, no I/O), the client never imports the server, and
// services know the store's interface, not its drivers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'os', 'child_process', 'crypto', 'url', 'util', 'stream', 'worker_threads'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'geodata/build/', '.cache/', '.gl/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'core/ is pure: no Node built-ins, no I/O.' },
          { group: ['**/server/**', '**/client/**', '**/scripts/**', 'pg', '@electric-sql/*', 'fastify', 'socket.io*', 'react*', 'maplibre-gl', '@deck.gl/*'], message: 'core/ imports only itself and pure libraries.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'core/ reads no environment.' }, { name: 'Buffer', message: 'core/ is shared with the browser.' }],
    },
  },
  {
    files: ['client/**/*.ts', 'client/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/scripts/**', 'pg', '@electric-sql/*', 'fastify'], message: 'the client talks to the server over HTTP and sockets only.' }] }],
    },
  },
  {
    files: ['server/services/**/*.ts', 'server/http/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/store/pglite/**', '**/store/pg/**', 'pg', '@electric-sql/*'], message: 'services and routes use the Store interface; only server/main.ts picks a driver.' }] }],
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration in server/config.ts only.' }],
    },
  },
);
