// Show a follow-up question only while the question it follows is answered "Yes".
// Without JavaScript every follow-up stays visible; the server ignores those whose question is "No".
(function () {
  const form = document.getElementById("intake-form");
  if (!form) return;
  function refresh() {
    form.querySelectorAll("[data-follow-up-of]").forEach(function (box) {
      const parent = form.querySelector('input[name="' + box.dataset.followUpOf + '"]:checked');
      box.hidden = !(parent && parent.value === "True");
    });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
