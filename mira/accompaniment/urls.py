from django.urls import path

from mira.accompaniment import views

app_name = "accompaniment"

case = "cases/<int:participant_pk>/"
urlpatterns = [
    path(f"{case}tasks/", views.case_tasks, name="case_tasks"),
    path(f"{case}tasks/new/", views.task_create, name="task_create"),
    path(f"{case}tasks/from-checklist/", views.tasks_from_template, name="tasks_from_template"),
    path(f"{case}tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path(f"{case}tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path(f"{case}tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path(f"{case}tasks/<int:pk>/attachments/", views.task_attach, name="task_attach"),
    path(f"{case}departure/", views.departure, name="departure"),
    path(f"{case}departure/applications/new/", views.application_create, name="application_create"),
    path(f"{case}departure/applications/<int:pk>/", views.application_edit, name="application_edit"),
    path(f"{case}departure/applications/<int:pk>/status/", views.application_status, name="application_status"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/centre/", views.task_list, name="task_list"),
    path("planning/checklists/", views.checklist_list, name="checklist_list"),
    path("planning/checklists/new/", views.checklist_create, name="checklist_create"),
    path("planning/checklists/<int:pk>/", views.checklist_edit, name="checklist_edit"),
    path("planning/deadline-rules/", views.deadline_rule_list, name="deadline_rule_list"),
    path("planning/deadline-rules/new/", views.deadline_rule_create, name="deadline_rule_create"),
    path("planning/deadline-rules/<int:pk>/", views.deadline_rule_edit, name="deadline_rule_edit"),
]
