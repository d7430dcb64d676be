"""Urls of customer focus (5.1.2): customer feedback, requirements and figures."""

from django.urls import path

from leadership.views import customers as views

urlpatterns = [
    path("customers/feedback/", views.CustomerFeedbackListView.as_view(), name="customer-feedback-list"),
    path("customers/feedback/new/", views.CustomerFeedbackFormView.as_view(), name="customer-feedback-create"),
    path("customers/feedback/import/", views.CustomerFeedbackImportView.as_view(), name="customer-feedback-import"),
    path(
        "customers/feedback/import/template.csv",
        views.CustomerFeedbackImportTemplateView.as_view(),
        name="customer-feedback-import-template",
    ),
    path("customers/feedback/<int:pk>/", views.CustomerFeedbackDetailView.as_view(), name="customer-feedback-detail"),
    path(
        "customers/feedback/<int:pk>/edit/", views.CustomerFeedbackFormView.as_view(), name="customer-feedback-update"
    ),
    path(
        "customers/feedback/<int:pk>/assess/",
        views.CustomerFeedbackAssessView.as_view(),
        name="customer-feedback-assess",
    ),
    path(
        "customers/feedback/<int:pk>/respond/",
        views.CustomerFeedbackRespondView.as_view(),
        name="customer-feedback-respond",
    ),
    path(
        "customers/feedback/<int:pk>/close/",
        views.CustomerFeedbackCloseView.as_view(),
        name="customer-feedback-close",
    ),
    path("customers/requirements/", views.CustomerRequirementListView.as_view(), name="customer-requirement-list"),
    path(
        "customers/requirements/new/",
        views.CustomerRequirementFormView.as_view(),
        name="customer-requirement-create",
    ),
    path(
        "customers/requirements/<int:pk>/",
        views.CustomerRequirementDetailView.as_view(),
        name="customer-requirement-detail",
    ),
    path(
        "customers/requirements/<int:pk>/edit/",
        views.CustomerRequirementFormView.as_view(),
        name="customer-requirement-update",
    ),
    path("customers/response-targets/", views.ResponseTargetListView.as_view(), name="response-target-list"),
    path(
        "customers/response-targets/<slug:severity>/edit/",
        views.ResponseTargetFormView.as_view(),
        name="response-target-update",
    ),
    path("customers/order-volumes/", views.OrderVolumeListView.as_view(), name="order-volume-list"),
    path("customers/order-volumes/new/", views.OrderVolumeFormView.as_view(), name="order-volume-create"),
    path("customers/order-volumes/<int:pk>/edit/", views.OrderVolumeFormView.as_view(), name="order-volume-update"),
    path("customers/figures/", views.CustomerFiguresView.as_view(), name="customer-figures"),
]
