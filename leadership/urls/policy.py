"""URLs of the quality policy (5.2): versions, approval, publication, acknowledgements, shared copies."""

from django.urls import path

from leadership.views import policy as views

urlpatterns = [
    path("policy/", views.CurrentPolicyView.as_view(), name="policy-current"),
    path("policy/acknowledge/", views.AcknowledgeView.as_view(), name="policy-acknowledge"),
    path("policy/coverage/", views.CoverageView.as_view(), name="policy-coverage"),
    path("policy/versions/", views.PolicyVersionListView.as_view(), name="policy-version-list"),
    path("policy/versions/new/", views.PolicyVersionFormView.as_view(), name="policy-version-create"),
    path("policy/versions/compare/", views.PolicyVersionCompareView.as_view(), name="policy-version-compare"),
    path("policy/versions/<int:pk>/", views.PolicyVersionDetailView.as_view(), name="policy-version-detail"),
    path("policy/versions/<int:pk>/edit/", views.PolicyVersionFormView.as_view(), name="policy-version-update"),
    path("policy/versions/<int:pk>/submit/", views.PolicyVersionSubmitView.as_view(), name="policy-version-submit"),
    path("policy/versions/<int:pk>/approve/", views.PolicyVersionApproveView.as_view(), name="policy-version-approve"),
    path("policy/versions/<int:pk>/reject/", views.PolicyVersionRejectView.as_view(), name="policy-version-reject"),
    path("policy/versions/<int:pk>/publish/", views.PolicyVersionPublishView.as_view(), name="policy-version-publish"),
    path(
        "policy/versions/<int:pk>/new-version/",
        views.PolicyVersionNewFromView.as_view(),
        name="policy-version-new-from",
    ),
    path("policy/versions/<int:pk>/pdf/", views.PolicyVersionPdfView.as_view(), name="policy-version-pdf"),
    path(
        "policy/versions/<int:pk>/pdf/prepare/",
        views.PolicyVersionRequestPdfView.as_view(),
        name="policy-version-pdf-prepare",
    ),
    path("policy/share-links/", views.ShareLinkListView.as_view(), name="policy-share-list"),
    path("policy/share-links/<int:pk>/revoke/", views.ShareLinkRevokeView.as_view(), name="policy-share-revoke"),
    # Public: no login. The token is the only key; revoked or outdated links answer 404.
    path("policy/shared/<str:token>/", views.PublicPolicyView.as_view(), name="policy-public"),
    path("policy/shared/<str:token>/pdf/", views.PublicPolicyPdfView.as_view(), name="policy-public-pdf"),
]
