// @ts-check
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import promise from 'eslint-plugin-promise';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'web/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  promise.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration from src/config only.' },
      ],
    },
  },
  // The layers (see docs/decisions/0017): route → service → repository/adapter, a pure engine.
  {
    files: ['src/**/*.ts'],
    // A test beside the code may reach across layers to check how they fit together.
    ignores: ['src/**/*.test.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Imports name the compiled `.js`; the resolver finds the `.ts` beside it.
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: './src/!(main|http)/**/*',
              from: './src/http',
              message: 'Only the web role (src/http) and entrypoints know HTTP.',
            },
            {
              target: './src/music',
              from: './src',
              except: ['./music'],
              message: 'The music engine is pure: it imports only src/music, node and packages.',
            },
            {
              target: './src/adapters',
              from: ['./src/modules', './src/jobs'],
              message: 'Adapters sit below the domain: they never import modules or jobs.',
            },
            {
              target: './src/modules',
              from: './src/jobs',
              except: ['./payloads'],
              message: 'A service enqueues through a payload schema in src/jobs/payloads only.',
            },
            {
              target: './src/jobs/payloads',
              from: './src',
              except: ['./jobs/payloads', './lib'],
              message: 'Payload schemas are shared by services and jobs, so they import neither.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/config/**', 'test/**', 'vitest.config.ts', 'bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['web/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        FormData: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        EventSource: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        clearTimeout: 'readonly',
        getComputedStyle: 'readonly',
        requestAnimationFrame: 'readonly',
        AudioContext: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        Intl: 'readonly',
        console: 'readonly',
        MutationObserver: 'readonly',
      },
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
