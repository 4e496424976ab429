from django.urls import path

from mira.aid import views

app_name = "aid"
urlpatterns = [
    path("cases/<int:participant_pk>/aid/", views.case_requests, name="case_requests"),
    path("cases/<int:participant_pk>/aid/new/", views.request_create, name="request_create"),
    path("cases/<int:participant_pk>/aid/remaining/", views.remaining, name="remaining"),
    path("aid/", views.request_list, name="request_list"),
    path("aid/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("aid/requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("aid/requests/<int:pk>/status/<slug:to>/", views.request_transition, name="request_transition"),
    path("aid/requests/<int:pk>/proofs/new/", views.proof_add, name="proof_add"),
    path("aid/approvals/", views.approval_queue, name="approval_queue"),
    path("aid/payments/", views.open_payments, name="open_payments"),
    path("aid/missing-proofs/", views.missing_proofs, name="missing_proofs"),
    path("aid/budgets/", views.budgets, name="budgets"),
    path("aid/budgets/new/", views.budget_create, name="budget_create"),
    path("aid/budgets/<int:pk>/edit/", views.budget_edit, name="budget_edit"),
    path("aid/export/", views.export, name="export"),
]
