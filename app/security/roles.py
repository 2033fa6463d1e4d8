"""The roles and what each may do, as data; turned into FAB_ROLES (checked without queries).

Each resource is an HTML view `<Name>View`, a REST API `<Name>Api` and a menu item `<Name>`.
Access letters: r = list/show/get/info and its menu, c = add/post, u = edit/put, d = delete.
Named actions (`action:eligibility`) are action permissions of the view.
"""

import re

ADMIN = "Admin"
OFFICE = "Office"
REVIEWER = "Reviewer"
COMMITTEE = "Committee"
RECOMMENDER = "Recommender"
# The third-party agency that organizes the expert review (M-6, M-10; issue 18).
AGENCY = "Agency"
# Separation of duties (三权分立, GB/T 22239-2019 level 3; issue 17): accounts and roles, the
# audit trail, and the award's business are three duties no production account combines.
SYSADMIN = "SysAdmin"
AUDITOR = "Auditor"
# Issue 18: applicants (organizations, individuals) online; the least trusted users, who reach
# only their own portal (views/applicant_portal.py), scoped to their own applicant.
APPLICANT = "Applicant"
ROLES = [ADMIN, OFFICE, REVIEWER, COMMITTEE, RECOMMENDER, AGENCY, SYSADMIN, AUDITOR, APPLICANT]
# Anyone not signed in (config AUTH_ROLE_PUBLIC): no permission on any view or API. The sign-in
# page and the public pages (the notices, the winners) are open routes that ask for none.
PUBLIC = "Public"
BUSINESS_ROLES = {OFFICE, REVIEWER, COMMITTEE, RECOMMENDER, AGENCY}
# Each duty and the roles that carry it; Admin carries all three (a development convenience
# that production refuses, app/security/duties.py).
DUTIES = {
    "系统管理": {SYSADMIN, ADMIN},
    "审计管理": {AUDITOR, ADMIN},
    "业务操作": BUSINESS_ROLES | {ADMIN},
}

ROLE_LABELS = {
    ADMIN: "超级管理员（仅开发）",
    OFFICE: "市质评办",
    REVIEWER: "评审员",
    COMMITTEE: "评定委员会",
    RECOMMENDER: "推荐单位",
    AGENCY: "第三方机构",
    SYSADMIN: "系统管理员",
    AUDITOR: "审计管理员",
    APPLICANT: "申报单位/个人",
}

_O = "rcud"
RESOURCES: dict[str, dict[str, str]] = {
    "Organization": {OFFICE: _O, COMMITTEE: "r", RECOMMENDER: "r"},
    "Certificate": {OFFICE: _O, COMMITTEE: "r"},
    "Trademark": {OFFICE: _O, COMMITTEE: "r"},
    "Individual": {OFFICE: _O, COMMITTEE: "r", RECOMMENDER: "r"},
    "Incident": {OFFICE: _O, COMMITTEE: "r"},
    "SamplingResult": {OFFICE: _O, COMMITTEE: "r"},
    "Penalty": {OFFICE: _O, COMMITTEE: "r"},
    "Ban": {OFFICE: _O, COMMITTEE: "r"},
    "Recommender": {OFFICE: _O, COMMITTEE: "r"},
    "Recommendation": {OFFICE: _O, COMMITTEE: "r", RECOMMENDER: "rcu"},
    "AwardCycle": {OFFICE: _O, COMMITTEE: "r", REVIEWER: "r", RECOMMENDER: "r"},
    "CriteriaVersion": {OFFICE: "rcu", COMMITTEE: "r", REVIEWER: "r"},
    "CriteriaItem": {OFFICE: "r", COMMITTEE: "r", REVIEWER: "r"},
    "Industry": {OFFICE: "r", COMMITTEE: "r", REVIEWER: "r", RECOMMENDER: "r"},
    "Application": {OFFICE: _O, COMMITTEE: "r", REVIEWER: "r", RECOMMENDER: "r"},
    "ApplicationDocument": {OFFICE: "rcd", COMMITTEE: "r", REVIEWER: "r"},
    "EligibilityReview": {OFFICE: "r", COMMITTEE: "r"},
    "EligibilityJudgement": {OFFICE: "rcu", COMMITTEE: "r"},
    "Disqualification": {OFFICE: "r", COMMITTEE: "r"},
    "Reviewer": {OFFICE: _O, COMMITTEE: "r"},
    "ReviewerCertificate": {OFFICE: _O},
    "ReviewerSanction": {OFFICE: "rcu", COMMITTEE: "r"},
    "InterestDeclaration": {OFFICE: _O, REVIEWER: "rc"},
    "ConsultingEngagement": {OFFICE: _O},
    "ReviewGroup": {OFFICE: _O, REVIEWER: "r", COMMITTEE: "r"},
    "ReviewGroupMember": {OFFICE: _O, REVIEWER: "r"},
    "ReviewAssignment": {OFFICE: "rcd", REVIEWER: "r"},
    "Scoresheet": {OFFICE: "r", REVIEWER: "r"},
    "ScoreLine": {OFFICE: "r", REVIEWER: "r"},
    "ScoreChange": {OFFICE: "r"},
    "StageScore": {OFFICE: "r", COMMITTEE: "r"},
    "ReviewReport": {OFFICE: "rcu", REVIEWER: "rcu", COMMITTEE: "r"},
    "SatisfactionEvaluation": {OFFICE: _O, COMMITTEE: "r"},
    "CommitteeVote": {OFFICE: "r", COMMITTEE: "rcu"},
    "PublicNotice": {OFFICE: _O, COMMITTEE: "r"},
    "Objection": {OFFICE: "rcu", COMMITTEE: "r"},
    "NoticeHoliday": {OFFICE: _O},
    "GovernmentApproval": {OFFICE: "rcu", COMMITTEE: "r"},
    "Award": {OFFICE: "rcu", COMMITTEE: "r"},
    "PrizePayment": {OFFICE: "rcu", COMMITTEE: "r"},
    "FollowUpReport": {OFFICE: "rcu", COMMITTEE: "r"},
    "RevocationCase": {OFFICE: "rcu", COMMITTEE: "r"},
    "Recovery": {OFFICE: "rcu", COMMITTEE: "r"},
    "StageMove": {OFFICE: "r", COMMITTEE: "r"},
    "CycleAmendment": {OFFICE: "r", COMMITTEE: "r"},
    "AuditEntry": {OFFICE: "r", COMMITTEE: "r", AUDITOR: "r"},
    # Login history and security events: the audit administrator (and Admin) read them.
    "SecurityEvent": {AUDITOR: "r"},
    "Notification": {OFFICE: "r", REVIEWER: "r", COMMITTEE: "r", RECOMMENDER: "r", APPLICANT: "r"},
    # Issue 18: the Office approves or refuses applicant accounts and invites applicants; the
    # applicant's own portal is a set of pages (no records of its own, only actions).
    "ApplicantAccount": {OFFICE: "r"},
    "ApplicantPortal": {},
}

# Issue 18 (M-6, M-10): the agency maintains the reviewer pool and qualifications, forms groups
# and assignments for the cycles it runs, follows progress and reads (exports) the review
# reports; never the Committee's votes, the eligibility decisions or a cycle's settings.
RESOURCES["Agency"] = {OFFICE: _O, COMMITTEE: "r", AGENCY: "r"}
_AGENCY_GRANTS = {
    "AwardCycle": "r",
    "CriteriaVersion": "r",
    "CriteriaItem": "r",
    "Industry": "r",
    "Application": "r",
    "Reviewer": "rcu",
    "ReviewerCertificate": "rcud",
    "ReviewerSanction": "r",
    "InterestDeclaration": "rcu",
    "ConsultingEngagement": "rcu",
    "ReviewGroup": "rcud",
    "ReviewGroupMember": "rcud",
    "ReviewAssignment": "rcd",
    "ReviewReport": "r",
    "Notification": "r",
}
for _resource, _letters in _AGENCY_GRANTS.items():
    RESOURCES[_resource][AGENCY] = _letters

# Append-only for every role, Admin included (M-3): their screens and API resources only list
# and show, whatever a role's letters say (views/audit.py, app/api.py).
APPEND_ONLY = {"AuditEntry"}

REVOCATION_STEPS = ["can_verify", "can_review", "can_approve", "can_dismiss"]

# Named actions and custom endpoints per resource and role (FAB permission names).
ACTIONS: dict[str, dict[str, list[str]]] = {
    "Application": {
        OFFICE: [
            "run_eligibility",
            "disqualify",
            "reinstate",
            "shortlist",
            "can_checklist",
            # eligibility review (M-19.1): screen pages and API endpoints
            "can_eligibility",
            "can_eligibility_outcome",
            "can_eligibility_judgement",
            "can_eligibility_supplement",
        ],
        COMMITTEE: ["can_checklist"],
        REVIEWER: ["can_checklist"],
    },
    "AwardCycle": {
        OFFICE: [
            "advance_stage",
            "rank",
            "export_summary",
            "can_ranking",
            "propose_groups",
            "confirm_eligible",
            "can_confirm_eligible",
            "close_groups",
            "can_summary_xlsx",
            "create_awards",
        ],
        COMMITTEE: [
            "can_ranking",
            "confirm_eligible",
            "can_confirm_eligible",
            "can_summary_xlsx",
            "export_summary",
        ],
    },
    "Scoresheet": {
        OFFICE: ["reopen", "can_entry"],
        REVIEWER: ["can_entry", "can_save", "can_submit"],
    },
    "ReviewGroup": {OFFICE: ["close_group", "can_composition"], REVIEWER: ["can_composition"]},
    "Reviewer": {OFFICE: ["can_qualification"], COMMITTEE: ["can_qualification"]},
    # Buttons per role; the step pages and endpoints are open to both, and the domain
    # (app/domain/revocation.py) refuses a step out of order or by the wrong role (M-26).
    "RevocationCase": {
        OFFICE: ["verify_case", "approve_case", "dismiss_case", *REVOCATION_STEPS],
        # M-26: the Committee may also decline a verified case instead of reviewing it.
        COMMITTEE: ["review_case", "dismiss_case", *REVOCATION_STEPS],
    },
    "FollowUpReport": {
        OFFICE: [
            "accept_report",
            "send_back_report",
            "can_overdue",
            "can_generate",
            "can_send_back",
            "can_accept",
        ],
        COMMITTEE: ["can_overdue"],
    },
    "Recovery": {OFFICE: ["mark_recovered"]},
    "Objection": {OFFICE: ["resolve_objection"]},
    "Notification": {
        OFFICE: ["mark_read"],
        REVIEWER: ["mark_read"],
        COMMITTEE: ["mark_read"],
        RECOMMENDER: ["mark_read"],
        AGENCY: ["mark_read"],
    },
}

# Issue 5 (evaluation workflow, M-17 to M-19.8): its pages, actions and API endpoints, kept in
# one block so the lists above stay as they were.
_WORKFLOW_ACTIONS = {
    "Application": {OFFICE: ["can_disqualification", "can_disqualify", "can_reinstate"]},
    "AwardCycle": {
        OFFICE: [
            "shortlist",
            "decide_tie",
            "can_stage",
            "can_material_ranking",
            "can_budget",
            "can_advance",
            "can_rank",
            "can_create_awards",
            "can_decide_tie",  # the tie decision's endpoint, as its screen button
        ],
        COMMITTEE: ["can_stage", "can_material_ranking"],
    },
    "PublicNotice": {OFFICE: ["publish_notice", "can_publish"]},
    "Objection": {OFFICE: ["can_resolve"]},
}
for _resource, _by_role in _WORKFLOW_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)

# Issue 4 (scoring, M-19.2, M-25): the Office's API endpoints to reopen a sheet and close a group.
_SCORING_ACTIONS = {
    "Scoresheet": {OFFICE: ["can_reopen"]},
    "ReviewGroup": {OFFICE: ["can_close_group"]},
}
# Issue 15: the Office reopens a closed group after a late tie (page and API endpoint).
_SCORING_ACTIONS["ReviewGroup"][OFFICE] += ["can_reopen", "can_reopen_group"]
for _resource, _by_role in _SCORING_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)

# Issue 11 (notifications): each user's e-mail preference page and the inbox's API endpoints.
_NOTIFY_ACTIONS = {
    "Notification": {
        role: ["can_preferences", "can_mark_read"]
        for role in (OFFICE, REVIEWER, COMMITTEE, RECOMMENDER, AGENCY, APPLICANT)
    },
}
for _resource, _by_role in _NOTIFY_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)

# Menu categories every role that sees an item in them needs.
CATEGORIES = ["Applicants", "Intake", "Review", "Evaluation", "AfterAward", "Reference", "Audit"]

_LETTERS = {
    "r": ["can_list", "can_show", "can_get", "can_info", "can_download", "export_xlsx"],
    "c": ["can_add", "can_post"],
    "u": ["can_edit", "can_put"],
    "d": ["can_delete"],
}

# Every signed-in user: own password, the dashboard, notifications, language switch.
_COMMON = [
    ["^UserInfoEditView$", "^(can_this_form_get|can_this_form_post)$"],
    ["^ResetMyPasswordView$", "^(can_this_form_get|can_this_form_post)$"],
    ["^UserDBModelView$", "^(can_userinfo|resetmypassword)$"],
    ["^DashboardIndexView$", "^can_.*$"],
    ["^MenuApi$", "^can_get$"],
    ["^OpenApi$", "^can_get$"],  # the API's OpenAPI document (CONTRACT.md)
]
# Without the menu's layout (fab_roles called bare): every category, as before issue 16.
_ALL_CATEGORIES = "^(Applicants|Intake|Review|Evaluation|AfterAward|Reference|Audit)$"

# Issue 15 (settings frozen by stage, M-17): the Office amends a frozen setting by the
# Committee's decision, on the screen (button and form page) and through the API.
_AMEND_ACTIONS = {"AwardCycle": {OFFICE: ["amend_settings", "can_amend"]}}
for _resource, _by_role in _AMEND_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)

# Issue 15 (every screen button has an endpoint): the API endpoints of the cycle's shortlist,
# group proposal and group closing buttons and of the recovery's button, as the buttons.
_BUTTON_ENDPOINTS = {
    "AwardCycle": {OFFICE: ["can_shortlist", "can_propose_groups", "can_close_groups"]},
    "Recovery": {OFFICE: ["can_mark_recovered"]},
}
for _resource, _by_role in _BUTTON_ENDPOINTS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)

# Issue 15 (every screen button has an endpoint): the API endpoints of the cycle's shortlist,
# group proposal and group closing buttons and of the recovery's button, as the buttons.
_BUTTON_ENDPOINTS = {
    "AwardCycle": {OFFICE: ["can_shortlist", "can_propose_groups", "can_close_groups"]},
    "Recovery": {OFFICE: ["can_mark_recovered"]},
}
for _resource, _by_role in _BUTTON_ENDPOINTS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)

# Issue 9 (uploads, M-18, M-24, M-25): the Office uploads application documents, on the screen
# and through the API; downloading is `can_download`, part of read access ("r").
_UPLOAD_ACTIONS = {"ApplicationDocument": {OFFICE: ["can_upload"]}}
for _resource, _by_role in _UPLOAD_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)

# Issue 19 (official documents): the Office drafts, edits and issues them; the Committee reads
# them. The record page (can_record), a stored file (can_file), the API's document (can_document).
RESOURCES["IssuedDocument"] = {OFFICE: "r", COMMITTEE: "r"}
_DOCUMENT_ACTIONS = {
    "IssuedDocument": {
        OFFICE: ["can_record", "can_file", "can_document", "can_draft", "can_upload"]
        + ["can_regenerate", "can_issue"],
        COMMITTEE: ["can_record", "can_file", "can_document"],
    },
}
for _resource, _by_role in _DOCUMENT_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)

# Issue 19 (review reports, M-10, M-19.2, M-19.4): the group's leader signs its report off, by
# the screen's button and the API; the service refuses any reviewer but the group's leader.
_SIGN_OFF_ACTIONS = {"ReviewReport": {REVIEWER: ["sign_off", "can_sign_off"]}}
for _resource, _by_role in _SIGN_OFF_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)


# Issue 18: the recommending body signs or declines its opinion on the screen (M-18); the
# Office records the two paper copies (M-18); the Committee approves a criteria version and a
# cycle's procedure (M-7); the agency follows its groups' progress and qualifications.
_ISSUE18_ACTIONS = {
    "Recommendation": {RECOMMENDER: ["can_sign", "can_decline"]},
    "Application": {OFFICE: ["can_paper_copies"]},
    "CriteriaVersion": {COMMITTEE: ["can_approve"]},
    "AwardCycle": {COMMITTEE: ["can_approve_procedure"]},
    "ReviewGroup": {AGENCY: ["can_composition"]},
    "Reviewer": {AGENCY: ["can_qualification"]},
}
for _resource, _by_role in _ISSUE18_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)


_APPLICANT_MENUS = ["^(ApplicantHome|Audit)$", "^menu_access$"]

# Issue 18: applicant accounts (Office) and the applicant's portal pages (Applicant).
_APPLICANT_ACTIONS = {
    "ApplicantAccount": {OFFICE: ["can_approve", "can_refuse", "can_invite", "can_refuse_account"]},
    "ApplicantPortal": {
        APPLICANT: [
            "can_home",
            "can_apply",
            "can_form",
            "can_save",
            "can_submit",
            "can_upload",
            "can_report",
            "can_feedback",
        ]
    },
}
for _resource, _by_role in _APPLICANT_ACTIONS.items():
    for _role, _perms in _by_role.items():
        ACTIONS.setdefault(_resource, {}).setdefault(_role, []).extend(_perms)


def grants(role: str) -> list[tuple[str, list[str]]]:
    """(resource, permission names) pairs of a role, the matrix the README documents."""
    out = []
    for resource, access in RESOURCES.items():
        letters = access.get(role, "")
        perms = [p for letter in letters for p in _LETTERS[letter]]
        perms += ACTIONS.get(resource, {}).get(role, [])
        if perms:
            out.append((resource, perms))
    return out


# The system administrator's screens: FAB's users, roles and groups (no applicant data).
FAB_SECURITY_VIEWS = [
    "UserDBModelView",
    "RoleModelView",
    "UserGroupModelView",
    "PermissionModelView",
    "ViewMenuModelView",
    "PermissionViewModelView",
    "ResetPasswordView",
]
FAB_SECURITY_MENUS = [
    "Security",
    "List Users",
    "List Roles",
    "List Groups",
    "Base Permissions",
    "Views/Menus",
    "Permission on Views/Menus",
]
_SYSADMIN = [
    ["^(" + "|".join(FAB_SECURITY_VIEWS) + ")$", "^.*$"],
    ["^(" + "|".join(re.escape(m) for m in FAB_SECURITY_MENUS) + ")$", "^menu_access$"],
]


def fab_roles(menu: dict[str, list[str]] | None = None) -> dict[str, list[list[str]]]:
    """FAB_ROLES. `menu` maps each menu category to the resources of its screens: a role sees a
    category only when it may open one of them, never an empty one (issue 16)."""
    roles: dict[str, list[list[str]]] = {ADMIN: [[".*", ".*"]], PUBLIC: []}
    for role in ROLES[1:]:
        # An applicant gets its own password and landing page, never the back-office menus.
        pvs = list(_COMMON if role != APPLICANT else [*_COMMON, _APPLICANT_MENUS])
        if role == SYSADMIN:
            pvs += _SYSADMIN
        granted = set()
        for resource, perms in grants(role):
            pvs.append([f"^{resource}(View|Api)$", "^(" + "|".join(perms) + ")$"])
            pvs.append([f"^{resource}$", "^menu_access$"])
            granted.add(resource)
        if menu is None:
            if role != APPLICANT:
                pvs.append([_ALL_CATEGORIES, "^menu_access$"])
        else:
            shown = [c for c, resources in menu.items() if granted & set(resources)]
            if shown:
                pvs.append(["^(" + "|".join(shown) + ")$", "^menu_access$"])
        roles[role] = pvs
    return roles
