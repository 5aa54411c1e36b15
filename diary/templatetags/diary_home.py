"""`{% family_home %}`: the family's part of the home page (docs/DESIGN.md §1.5 "The family
home"), built by diary.home so the journal's home view needs nothing of the diary."""

from django import template

from ..home import family_home

register = template.Library()


@register.inclusion_tag("diary/_family_home.html", takes_context=True)
def family_home_cards(context):
    request = context["request"]
    return {"home": family_home(request.user), "request": request, "user": request.user}
