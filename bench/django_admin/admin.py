"""ModelAdmins with the same list columns as the award's screens, tuned per Django's docs."""

from django.contrib import admin

from . import models as m

# view name in the award app -> (model, list_display, list_select_related, search_fields, ordering)
SCREENS = {
    "OrganizationView": (
        m.Organization,
        ["name", "credit_code", "legal_form", "industry", "district", "operating_since"],
        ["industry"],
        ["name", "credit_code", "district"],
        ["id"],
    ),
    "ApplicationView": (
        m.Application,
        ["number", "cycle", "prize", "applicant_name", "status", "submitted_on"],
        ["cycle", "organization", "individual"],
        ["number"],
        ["id"],
    ),
    "ReviewerView": (
        m.Reviewer,
        [
            "code",
            "name",
            "degree",
            "employer_name",
            "industries",
            "excellence_reviews_done",
            "active",
        ],
        [],
        ["code", "name", "employer_name"],
        ["id"],
    ),
    "ScoresheetView": (
        m.Scoresheet,
        ["application", "reviewer", "stage", "status", "total", "submitted_at"],
        ["application__organization", "application__individual", "reviewer"],
        ["stage", "status"],
        ["id"],
    ),
    "ScoreLineView": (
        m.ScoreLine,
        ["scoresheet_id", "item", "percent", "points"],
        ["item"],
        [],
        ["id"],
    ),
    "FollowUpReportView": (
        m.FollowUpReport,
        ["award", "report_year", "due_on", "status", "received_on"],
        ["award__application__organization", "award__application__individual"],
        ["status"],
        ["-due_on", "id"],
    ),
    "AuditEntryView": (
        m.AuditEntry,
        ["at", "username", "action", "object_type", "object_id", "summary"],
        [],
        ["username", "action"],
        ["-id"],
    ),
}

for _view, (model, display, related, search, ordering) in SCREENS.items():
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (admin.ModelAdmin,),
            {
                "list_display": display,
                "list_select_related": related or False,
                "search_fields": search,
                "ordering": ordering,
                "list_per_page": 25,
            },
        ),
    )
