"""Saved searches of the list pages."""

from django.urls import path

from missions import views_searches

app_name = "searches"

urlpatterns = [
    path("save/", views_searches.search_save, name="search_save"),
    path("<int:pk>/delete/", views_searches.search_delete, name="search_delete"),
    path("<int:pk>/share/", views_searches.search_share, name="search_share"),
]
