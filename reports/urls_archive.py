from django.urls import path

from . import views_archive as views

app_name = "archive"
urlpatterns = [
    path("", views.index, name="index"),
    path("build/", views.build, name="build"),
    path("certificate/", views.certificate, name="certificate"),
    path("items/<int:pk>/sign/", views.sign, name="sign"),
    path("items/<int:pk>/verify/", views.verify, name="verify"),
    path("items/<int:pk>/file/", views.download, name="file"),
]
