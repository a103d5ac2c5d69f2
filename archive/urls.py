from django.contrib import admin
from django.urls import include, path

from archive import feeds, views
from archive.accounts import views as accounts

archive_patterns = [
    path("", views.article_list, name="article_list"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("sources/<str:slug>/", views.source_detail, name="source_detail"),
    path("entities/<str:slug>/", views.entity_detail, name="entity_detail"),
    path("entities/<str:slug>/feed.atom", feeds.EntityFeed(), name="entity_feed"),
    path("sources/<str:slug>/feed.atom", feeds.SourceFeed(), name="source_feed"),
    path("language/<str:code>/", views.interface_language_switch, name="language"),
    path("favicon.ico", views.favicon, name="favicon"),
]

urlpatterns = [
    path("", include((archive_patterns, "archive"))),
    path("search/", include("search.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/signup/<uidb64>/<token>/", accounts.signup_confirm, name="signup_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
