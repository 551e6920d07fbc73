// Render math with KaTeX (throwOnError: true), as a blog would.
// stdin: JSON [{"tex": "...", "display": true, "where": "..."}]
// stdout: JSON [{"where": "...", "error": "..."}] for every expression that failed.
"use strict";
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const failures = [];
  for (const item of JSON.parse(input)) {
    try {
      katex.renderToString(item.tex, { displayMode: item.display, throwOnError: true, strict: "error" });
    } catch (err) {
      failures.push({ where: item.where, error: String(err.message || err) });
    }
  }
  process.stdout.write(JSON.stringify(failures));
});
