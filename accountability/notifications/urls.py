"""Notification pages (mounted at /notifications/)."""

from django.urls import path

from accountability.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("unread/", views.unread_count, name="unread_count"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("<int:pk>/read/", views.notification_read, name="notification_read"),
    path("preferences/", views.notification_preferences, name="notification_preferences"),
]
