// The meeting page's 复制通知文字 button: copies the notice text of the read-only box it names
// (data-copy) and says 已复制 in the live region beside it. The button is drawn with the page when
// scripts run (site.css hides it under :root:not(.js), the class mode.js sets before the first
// paint), so this file changes nothing on the page as it loads; without JavaScript the button is
// hidden and the text can be selected by hand. Its label is CSS content with an aria-label, so
// the page's text is the same with and without JavaScript.
for (const button of document.querySelectorAll("button[data-copy]")) {
  const box = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[role=status]");
  if (!box || !status) continue;
  const byHand = () => {
    box.focus();
    box.select();  // selected, so a long press or Ctrl+C copies it
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  };
  button.addEventListener("click", async () => {
    let copied = false;
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(box.value);
        copied = true;
      } catch {
        copied = false;
      }
    }
    if (!copied) copied = byHand();
    status.textContent = copied ? "已复制" : "文字已选中，请长按或按 Ctrl+C 复制";
  });
}
