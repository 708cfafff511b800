// The patient's drawn signature (issue 15): a finger, a stylus or a mouse draws on the canvas; the form sends it as
// a PNG (data URL) in the hidden "signature" field, or nothing when the pad was left empty (the server refuses
// that with a message). "Clear" starts again. No inline script: the page's CSP allows only our static files.
(function () {
  const canvas = document.getElementById("signature-pad");
  if (!canvas) return;
  const form = canvas.closest("form");
  const field = form.querySelector('input[name="signature"]');
  const context = canvas.getContext("2d");
  let drawn = false;
  let last = null;

  function fit() {
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const box = canvas.getBoundingClientRect();
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#0b1f4d";
    drawn = false;
  }
  function point(event) {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }
  canvas.addEventListener("pointerdown", function (event) {
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
    context.beginPath();
    context.arc(last.x, last.y, 1, 0, 2 * Math.PI);
    context.fill();
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!last) return;
    const next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    drawn = true;
    event.preventDefault();
  });
  function stop() { last = null; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  document.getElementById("signature-clear").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    field.value = "";
  });
  form.addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  });
  fit();
})();
