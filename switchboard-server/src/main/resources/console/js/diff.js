// A line diff of two texts (longest common subsequence), for comparing two versions of a configuration.

import {h} from "./dom.js";

/** [{op: " " | "-" | "+", line}] turning `before` into `after`. */
export function diffLines(before, after) {
  const a = before.split("\n");
  const b = after.split("\n");
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const lcs = Array.from({length: a.length + 1}, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({op: " ", line: a[i++]});
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push({op: "-", line: a[i++]});
    } else {
      out.push({op: "+", line: b[j++]});
    }
  }
  while (i < a.length) out.push({op: "-", line: a[i++]});
  while (j < b.length) out.push({op: "+", line: b[j++]});
  return out;
}

/** The diff as a <pre>: removed lines marked "-" (class del), added "+" (class ins). */
export function diffView(before, after, label) {
  const rows = diffLines(before, after);
  const changed = rows.some(row => row.op !== " ");
  return h("div", {class: "diff-wrap"},
      changed ? null : h("p", {class: "muted"}, "No differences."),
      h("pre", {class: "diff", "aria-label": label, tabindex: "0"},
          rows.map(row => h("span", {class: row.op === "+" ? "ins" : row.op === "-" ? "del" : "same"},
              `${row.op} ${row.line}\n`))));
}
