from django.urls import path

app_name = "journal"
urlpatterns = []

# --- issue 3: people of a class, pupil card ---
from . import views_people  # noqa: E402

urlpatterns += [
    path("classes/<int:pk>/people/", views_people.class_people, name="class_people"),
    path("pupils/<int:pk>/card/", views_people.pupil_card, name="pupil_card"),
]
