from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path(
        "people/<int:pk>/reset-password/", views.person_reset_password, name="person_reset_password"
    ),
    path("people/<int:pk>/unlock/", views.person_unlock, name="person_unlock"),
    path("people/<int:pk>/active/", views.person_set_active, name="person_set_active"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
