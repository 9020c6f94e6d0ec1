from django.urls import path

from . import views
from .api import views as api

app_name = "negotiations"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("export.timelinejs.json", views.export_timelinejs, name="export_timelinejs"),
    path("feed.atom", views.export_atom, name="export_atom"),
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("conflicts/<slug:slug>/", views.conflict_detail, name="conflict_detail"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<slug:slug>/", views.proposal_detail, name="proposal_detail"),
    path("parties/<slug:slug>/", views.party_detail, name="party_detail"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("api/v1/", api.api_root, name="api_root"),
    path("api/v1/openapi.json", api.api_openapi, name="api_openapi"),
    path("api/v1/timeline", api.api_timeline, name="api_timeline"),
    path("api/v1/statements", api.api_statements, name="api_statements"),
    path("api/v1/statements/<int:pk>", api.api_statement_detail, name="api_statement_detail"),
    path("api/v1/proposals", api.api_proposals, name="api_proposals"),
    path("api/v1/proposals/<slug:slug>", api.api_proposal_detail, name="api_proposal_detail"),
    path("api/v1/conflicts", api.api_conflicts, name="api_conflicts"),
    path("api/v1/parties", api.api_parties, name="api_parties"),
    path("api/v1/deletions", api.api_deletions, name="api_deletions"),
    path("api/v1/token", api.api_token, name="api_token"),
]
