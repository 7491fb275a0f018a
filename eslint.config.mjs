// ESLint for the in-page scripts of the browser stage (auditor/browser/scripts/*.js) and the
// web page's own script (auditor/web/static/*.js, a classic script under a strict CSP).
// Each file is one expression evaluated in a shop's page (see scripts/__init__.py), so the
// browser's globals apply and nothing is imported or exported.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["auditor/browser/scripts/**/*.js", "auditor/web/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      "no-empty": ["error", { allowEmptyCatch: true }],   // a page may forbid storage, defineProperty …
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
      "no-implicit-globals": "error",
    },
  },
];
