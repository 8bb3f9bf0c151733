// Progressive enhancement: a form marked data-fragment posts in the background and
// shows the answer in place; without JavaScript it posts as a normal page.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  const target = form.dataset && form.dataset.fragment && document.querySelector(form.dataset.fragment);
  if (!target) return;
  event.preventDefault();
  const response = await fetch(form.action, {
    method: "POST",
    body: new URLSearchParams(new FormData(form)),
    headers: { "x-partage-fragment": "1" },
    credentials: "same-origin",
  });
  target.innerHTML = await response.text();
});
