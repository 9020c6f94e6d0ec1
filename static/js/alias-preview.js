// The admin's "Preview matches" button: asks the server what the aliases typed in the form
// (not yet saved) would match in recent articles, and shows it under the button.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-alias-preview]");
  if (!button) return;
  const form = button.closest("form");
  const field = form.querySelector("#id_aliases, #id_places");
  const conflict = form.querySelector("#id_conflict");
  const params = new URLSearchParams({
    kind: button.dataset.kind,
    aliases: field ? field.value : "",
    object: button.dataset.object || "",
  });
  if (conflict && conflict.value) params.set("conflict", conflict.value);
  else if (button.dataset.kind === "place" && button.dataset.object) {
    params.set("conflict", button.dataset.object);
  }
  const target = button.nextElementSibling;
  target.textContent = "Looking…";
  try {
    const response = await fetch(`${button.dataset.aliasPreview}?${params}`, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
    });
    const html = await response.text();
    if (!response.ok) {
      target.textContent = `The preview failed: ${html || response.status}`;
      return;
    }
    // Served by our own admin, escaped by its template.
    target.innerHTML = html;
  } catch (error) {
    target.textContent = `The preview failed: ${error}`;
  }
});
