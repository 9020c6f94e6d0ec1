from django.urls import path

from . import views

app_name = "negotiations"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<slug:slug>/", views.proposal_detail, name="proposal_detail"),
    path("parties/<slug:slug>/", views.party_detail, name="party_detail"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
]
