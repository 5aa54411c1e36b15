from django.template.loader import render_to_string


def render_body(report, *, for_print=False) -> str:
    """The document's parts as HTML: on screen whole tables, in print wide tables split by columns."""
    parts = []
    for part in report.parts:
        blocks = []
        for b in part.blocks:
            if for_print and getattr(b, "block", "") == "table":
                chunks = b.print_chunks()
                for n, idx in enumerate(chunks):
                    t = b if len(chunks) == 1 else b.sliced(idx)
                    if len(chunks) > 1:
                        t.title = f"{b.title} ({n + 1}/{len(chunks)})".strip()
                    blocks.append(t)
            else:
                blocks.append(b)
        parts.append({"part": part, "blocks": blocks})
    return render_to_string("reports/_document.html", {"report": report, "parts": parts, "for_print": for_print})
