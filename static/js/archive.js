// Progressive enhancement only: every page works without it.
document.addEventListener("DOMContentLoaded", () => {
  // Panels that fold on phones (<details class="fold-on-phone">: filters,
  // sort and dates, what a search added, exports) are open on wide screens
  // and closed on phones, so that the first results are on the first screen.
  const wide = window.matchMedia("(min-width: 50rem)");
  const panels = document.querySelectorAll("details.fold-on-phone");
  const apply = () => panels.forEach((panel) => { panel.open = wide.matches; });
  apply();
  wide.addEventListener("change", apply);

  // A new sort order applies at once, as a click on a filter does.
  document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form && select.form.requestSubmit());
  });
});
