"""Reading pages as a browser would."""

import lxml.html


def form_data(page, form_id: str) -> dict:
    """What a browser submits from the form (or the element holding one) with this id."""
    html = page if isinstance(page, str) else page.content
    element = lxml.html.fromstring(html).get_element_by_id(form_id)
    form = element if element.tag == "form" else element.find(".//form")
    data = {}
    for field in form.inputs:
        kind = getattr(field, "type", "")
        if field.name is None or kind in ("submit", "button"):
            continue
        if kind == "checkbox":
            if field.checked:
                data[field.name] = "on"
            continue
        data[field.name] = "" if field.value is None else field.value
    return data
