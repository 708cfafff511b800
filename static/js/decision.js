// The deferral date matters only for "Defer": show it only then.
// Without JavaScript it stays visible; the server ignores it for other decisions.
(function () {
  const fields = ["div_id_deferred_until"].map(function (id) { return document.getElementById(id); });
  const radios = document.querySelectorAll('input[name="decision"]');
  function refresh() {
    const chosen = document.querySelector('input[name="decision"]:checked');
    fields.forEach(function (box) { if (box) box.hidden = !(chosen && chosen.value === "deferred"); });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", refresh); });
  refresh();
})();
