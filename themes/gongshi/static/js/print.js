// The notice page's 打印 button (/meetings/<id>/notice/). The button is drawn with the page when
// scripts run (site.css, under the js class mode.js sets before the first paint), so this file
// changes nothing as the page loads; without JavaScript the button is hidden and the page's hint (用浏览器的“打印”功能) is the way to print. The button's label is
// CSS content with an aria-label, so the page's text is the same with and without JavaScript.
for (const button of document.querySelectorAll("button[data-print]")) {
  button.addEventListener("click", () => window.print());
}
