from django.urls import path

from search import views
from search.following import feeds, saved_views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("export.manifest.json", views.export_manifest, name="export_manifest"),
    path("feed.atom", feeds.SearchFeed(), name="feed"),
    path("saved/", saved_views.saved_list, name="saved"),
    path("saved/new", saved_views.saved_create, name="saved_create"),
    path("saved/<int:pk>/", saved_views.saved_open, name="saved_open"),
    path("saved/<int:pk>/alert", saved_views.saved_alert, name="saved_alert"),
    path("saved/<int:pk>/delete", saved_views.saved_delete, name="saved_delete"),
]
