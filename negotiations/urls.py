from django.urls import path

from . import exports, feeds, views
from .api.routes import api
from .caching import add_validators
from .review import views as review

app_name = "negotiations"

# The API's routes as django-ninja builds them, each finished with its validators (ETag,
# Last-Modified) and named in this namespace: negotiations:api_timeline, …
api_patterns = [
    path("api/v1/" + str(p.pattern), add_validators(p.callback), name=p.name)
    for p in api.urls[0]
    if p.name != "api-root"  # ninja's own index; ours is api_root
]

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.json", exports.export_json, name="export_json"),
    path("export.timelinejs.json", exports.export_timelinejs, name="export_timelinejs"),
    path("feed.atom", feeds.export_atom, name="export_atom"),
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("conflicts/<slug:slug>/", views.conflict_detail, name="conflict_detail"),
    path("conflicts/<slug:slug>/changes/", views.conflict_changes, name="conflict_changes"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<slug:slug>/", views.proposal_detail, name="proposal_detail"),
    path("parties/<slug:slug>/", views.party_detail, name="party_detail"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("review/", review.review, name="review"),
    path("review/claims/<int:pk>/publish", review.review_publish, name="review_publish"),
    path("review/claims/<int:pk>/reject", review.review_reject, name="review_reject"),
    path("review/claims/<int:pk>/merge", review.review_merge, name="review_merge"),
    path("review/undo", review.review_undo_last, name="review_undo"),
    *api_patterns,
]
