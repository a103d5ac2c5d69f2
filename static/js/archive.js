// Progressive enhancement only: every page works without it.
// Filter panels (<details class="filters-panel">) are open on wide screens
// and closed on phones, so the results come first.
document.addEventListener("DOMContentLoaded", () => {
  const wide = window.matchMedia("(min-width: 50rem)");
  const panels = document.querySelectorAll("details.filters-panel");
  const apply = () => panels.forEach((panel) => { panel.open = wide.matches; });
  apply();
  wide.addEventListener("change", apply);
});
