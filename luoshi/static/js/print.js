// "Print" links: no inline handlers, so the content security policy can forbid inline script.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});
