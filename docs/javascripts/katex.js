// Render the mathematics of every page with the KaTeX copy in docs/assets/katex.
// Markdown pages mark it with pymdownx.arithmatex (\( \) and \[ \]); notebook
// cells keep Jupyter's $ and $$. Code blocks are never touched.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
});
