"""The permission matrix, generated from the app's own URL map: every screen and API endpoint,
for every role and an anonymous visitor, against what app/security/roles.py declares.

An endpoint that this test cannot classify fails it: a new endpoint needs an expectation.
Reviewers are also checked row by row (M-25): another reviewer's or a conflicted row is a 404.
One test per visitor and endpoint group (screens, API), each on a fresh copy of the demo data; a
dry walk checks that the parts together make every check of the whole matrix.
"""

import re

import pytest
from flask import g
from sqlalchemy import select

from app.security import roles as R
from app.security.scopes import scope

USERS = {
    "admin": R.ADMIN,
    "office": R.OFFICE,
    "reviewer1": R.REVIEWER,
    "committee1": R.COMMITTEE,
    "recommender1": R.RECOMMENDER,
    "agency1": R.AGENCY,
    "sysadmin": R.SYSADMIN,
    "auditor1": R.AUDITOR,
    "applicant1": R.APPLICANT,  # issue 18: its own portal only, never a back-office page
}
ANON = None

VIEW_METHOD_PERMISSION = {
    "list": "can_list",
    "show": "can_show",
    "add": "can_add",
    "edit": "can_edit",
    "delete": "can_delete",
    "download": "can_download",
}
API_METHOD_PERMISSION = {
    "get_list": "can_get",
    "get": "can_get",
    "info": "can_info",
    "post": "can_post",
    "put": "can_put",
    "delete": "can_delete",
}
FAB_SECURITY_VIEWS = {
    "UserDBModelView",
    "RoleModelView",
    "PermissionModelView",
    "ViewMenuModelView",
    "PermissionViewModelView",
    "UserGroupModelView",
    "ResetPasswordView",
}
SIGNED_IN_ANY = {"UserInfoEditView", "ResetMyPasswordView"}
SKIP = {
    "static",
    "appbuilder.static",
    "AuthDBView.logout",
    "LocaleView.index",
    "SecurityApi.login",
    "SecurityApi.refresh",
    # The second factor's pages: tested in tests/app/test_login_security.py.
    "TwoFactorView.verify",
    "TwoFactorView.enrol",
    "UtilView.back",
}


def granted(role, resource, permission) -> bool:
    if role == R.ADMIN:
        return True
    for res, perms in R.grants(role):
        if res == resource and permission in perms:
            return True
    return False


def view_of(app, endpoint):
    cls_name = endpoint.split(".")[0]
    for view in app.appbuilder.baseviews:
        if type(view).__name__ == cls_name:
            return view
    return None


EVERYONE = object()  # a dry walk: every visitor's checks counted, no request made
GROUPS = ("screens", "api")


class _Lazy(dict):
    """Clients made on first use, so a part of the matrix logs in only the visitor it checks."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, who):
        self[who] = value = self.make(who)
        return value


class Matrix:
    """Checks for one visitor (`who`) and one endpoint group, or, with who=EVERYONE and dry=True,
    the count of every check the whole matrix makes."""

    def __init__(self, app, clients, api_clients, pks, who=EVERYONE, group=None, dry=False):
        self.app, self.clients, self.api, self.pks = app, clients, api_clients, pks
        self.who, self.group, self.dry = who, group, dry
        self.failures: list[str] = []
        self.checked = 0

    def wants(self, who) -> bool:
        return self.who is EVERYONE or who == self.who

    def expect(self, who, method, path, allowed_codes, refused_codes, allowed, **kw):
        if not self.wants(who):
            return
        self.checked += 1
        if self.dry:
            return
        client = self.clients[who]
        resp = getattr(client, method)(path, **kw)
        codes = allowed_codes if allowed else refused_codes
        if resp.status_code not in codes:
            self.failures.append(
                f"{who or '匿名'} {method.upper()} {path}: {resp.status_code}, 应为 {sorted(codes)}"
            )


@pytest.fixture
def matrix(app, demo, browser, api):
    """Makes a Matrix for one visitor and group (or a dry one) over the demo data's keys."""

    def login(who):
        return app.test_client() if who is ANON else browser(who).client

    from app.extensions import db

    pks = {}
    with app.app_context():
        sm = app.appbuilder.sm
        for view in app.appbuilder.baseviews:
            model = getattr(view, "model", None)
            if model is None or not hasattr(view, "datamodel"):
                continue
            pk_col = model.__mapper__.primary_key[0]
            all_pks = list(db.session.scalars(select(pk_col).order_by(pk_col)))
            per_user = {}
            for username in USERS:
                with app.test_request_context():
                    g.user = sm.find_user(username=username)
                    per_user[username] = set(db.session.scalars(scope(model, select(pk_col))))
            pks[type(view).__name__] = (all_pks, per_user)

    def make(who=EVERYONE, group=None, dry=False):
        return Matrix(app, _Lazy(login), _Lazy(api), pks, who, group, dry)

    return make


def _resource(name):
    return re.sub(r"(View|Api)$", "", name)


def _walk(app, matrix) -> list[str]:
    """Runs the matrix's checks for its group over the app's URL map; returns the endpoints it
    cannot classify."""
    unclassified = []
    for rule in app.url_map.iter_rules():
        endpoint = rule.endpoint
        if endpoint in SKIP:
            continue
        cls_name, _, method = endpoint.rpartition(".")
        methods = rule.methods - {"HEAD", "OPTIONS"}
        found = _classify(app, rule, cls_name, method, methods)
        if found is None:
            unclassified.append(f"{endpoint} {rule.rule}")
        elif matrix.group in (None, found[0]):
            found[1](matrix)
    return unclassified


def _classify(app, rule, cls_name, method, methods):
    """(group, check) for an endpoint, or None when the matrix has no expectation for it."""
    endpoint = rule.endpoint
    if endpoint.startswith("public."):

        def check(matrix):
            for who in [ANON, *USERS]:
                matrix.expect(who, "get", rule.rule, {200}, set(), True)

        return "screens", check
    if (
        cls_name == "DashboardIndexView"
        or cls_name in SIGNED_IN_ANY
        or endpoint == "UserDBModelView.userinfo"
    ):

        def check(matrix):
            if rule.arguments or "GET" not in methods:
                return
            matrix.expect(ANON, "get", rule.rule, {200}, {302}, False)
            for who in USERS:
                matrix.expect(who, "get", rule.rule, {200}, set(), True)

        return "screens", check
    if cls_name in FAB_SECURITY_VIEWS:
        return "screens", lambda matrix: _check_fab_security(matrix, rule, methods)
    if cls_name == "AuthDBView":
        return "screens", lambda matrix: matrix.expect(ANON, "get", rule.rule, {200}, set(), True)
    if cls_name == "OpenApi":

        def check(matrix):
            # The OpenAPI document: any signed-in user (CONTRACT), never anonymous.
            path = rule.rule.replace("<version>", "v1")
            matrix.expect(ANON, "get", path, {200}, {401}, False)
            for who in USERS:
                _api_expect(matrix, who, "get", path, {200})

        return "api", check
    if cls_name == "MenuApi":
        return "api", lambda matrix: matrix.expect(ANON, "get", rule.rule, {200}, {401}, False)
    if cls_name.endswith("View") and _resource(cls_name) in R.RESOURCES:
        return "screens", lambda matrix: _check_view(app, matrix, rule, cls_name, method, methods)
    if cls_name.endswith("Api") and _resource(cls_name) in R.RESOURCES:
        return "api", lambda matrix: _check_api(app, matrix, rule, cls_name, method, methods)
    view = view_of(app, endpoint)
    perm_name = getattr(view, "class_permission_name", "") if view else ""
    if perm_name.endswith("Api") and _resource(perm_name) in R.RESOURCES:
        return "api", lambda matrix: _check_action_api(app, matrix, rule, view, method, methods)
    return None


def test_every_endpoint_has_an_expectation_and_the_matrix_makes_over_1000_checks(app, matrix):
    """The whole matrix, walked without requests: nothing unclassified, over 1000 checks, split
    into the parts below."""
    dry = matrix(dry=True)
    unclassified = _walk(app, dry)
    assert not unclassified, "没有预期结果的端点（请在权限矩阵中补充）：\n" + "\n".join(
        unclassified
    )
    assert dry.checked > 1000
    per_part = 0
    for who in [ANON, *USERS]:
        for group in GROUPS:
            part = matrix(who, group, dry=True)
            _walk(app, part)
            per_part += part.checked
    assert per_part == dry.checked, "分组后的检查数与整个矩阵不一致"


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("who", [ANON, *USERS], ids=lambda who: who or "anonymous")
def test_every_endpoint_answers_each_role_as_the_roles_declare(app, matrix, who, group):
    part = matrix(who, group)
    unclassified = _walk(app, part)
    assert not unclassified, "没有预期结果的端点（请在权限矩阵中补充）：\n" + "\n".join(
        unclassified
    )
    assert part.checked > 0
    assert not part.failures, f"{len(part.failures)} 处不符：\n" + "\n".join(part.failures[:60])


def _check_fab_security(matrix, rule, methods):
    """FAB's user and role screens: Admin and the system administrator only (and only what FAB
    itself offers; 三权分立)."""
    if rule.arguments or "GET" not in methods:
        return
    view = view_of(matrix.app, rule.endpoint)
    method = rule.endpoint.rpartition(".")[2]
    offered = VIEW_METHOD_PERMISSION.get(method, f"can_{method}") in view.base_permissions
    matrix.expect(ANON, "get", rule.rule, {200}, {302}, False)
    for who, role in USERS.items():
        matrix.expect(
            who, "get", rule.rule, {200}, {403}, role in (R.ADMIN, R.SYSADMIN) and offered
        )


def _path(rule, **values):
    return rule.build(values, append_unknown=False)[1] if values else rule.rule


def _int_keys_only(rule, pks):
    """FAB's REST `GET /<int:pk>` cannot address string keys (industry codes): list them instead."""
    if "<int:pk>" in rule.rule:
        return [pk for pk in pks if isinstance(pk, int)]
    return pks


def _check_view(app, matrix, rule, cls_name, method, methods):
    view = view_of(app, f"{cls_name}.x")
    resource = _resource(cls_name)
    all_pks, per_user = matrix.pks.get(cls_name, ([], {}))
    if method in ("action", "action_post"):
        _check_actions(app, matrix, rule, view, resource, method, all_pks, per_user)
        return
    permission = VIEW_METHOD_PERMISSION.get(method, f"can_{method}")
    declared = permission in view.base_permissions
    if method == "download":
        return  # no files are stored through FAB's FileColumn; uploads have their own route
    needs_pk = "pk" in rule.arguments
    if needs_pk and not all_pks:
        return
    for who in [ANON, *USERS]:
        if not matrix.wants(who):
            continue
        role = USERS.get(who)
        allowed = bool(role) and declared and granted(role, resource, permission)
        if method == "delete":
            if allowed:
                continue  # allowed deletes are exercised by their own tests
            path = _path(rule, pk=all_pks[0])
            data = {"csrf_token": _token(matrix, who)} if who else {}
            # Anonymous: refused by CSRF (400) before anything else; signed in: 403.
            matrix.expect(
                who, "post", path, set(), {400} if who is None else {403}, False, data=data
            )
            continue
        if "GET" not in methods:
            continue
        if not needs_pk:
            matrix.expect(who, "get", rule.rule, {200}, {302} if who is None else {403}, allowed)
            continue
        visible = per_user.get(who, set())
        inside = next((pk for pk in all_pks if pk in visible), None)
        outside = next((pk for pk in all_pks if pk not in visible), None)
        for pk, in_scope in ((inside, True), (outside, False)):
            if pk is None:
                continue
            path = _path(rule, pk=pk)
            if who is None:
                matrix.expect(who, "get", path, set(), {302}, False)
            elif not allowed:
                matrix.expect(who, "get", path, set(), {403}, False)
            else:
                matrix.expect(who, "get", path, {200} if in_scope else {404}, set(), True)


def _check_actions(app, matrix, rule, view, resource, method, all_pks, per_user):
    if not all_pks:
        return
    for name in view.actions:
        for who in [ANON, *USERS]:
            if not matrix.wants(who):
                continue
            role = USERS.get(who)
            allowed = bool(role) and granted(role, resource, name)
            if allowed:
                visible = per_user.get(who, set())
                outside = next((pk for pk in all_pks if pk not in visible), None)
                if outside is None:
                    continue
                # An allowed action on a row outside the user's scope is a 404 (FAB-NOTES hole).
                if method == "action_post":
                    matrix.expect(
                        who,
                        "post",
                        rule.rule,
                        set(),
                        {404},
                        False,
                        data={
                            "action": name,
                            "rowid": [outside],
                            "csrf_token": _token(matrix, who),
                        },
                    )
                continue
            if method == "action_post":
                data = {"action": name, "rowid": [all_pks[0]]}
                if who:
                    data["csrf_token"] = _token(matrix, who)
                matrix.expect(
                    who,
                    "post",
                    rule.rule,
                    set(),
                    {302, 400} if who is None else {403},
                    False,
                    data=data,
                )


def _token(matrix, who):
    if matrix.dry:
        return ""
    page = matrix.clients[who].get("/userinfoeditview/form").get_data(as_text=True)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return m.group(1) if m else ""


def _check_api(app, matrix, rule, cls_name, method, methods):
    view = view_of(app, f"{cls_name}.x")
    resource = _resource(cls_name)
    permission = API_METHOD_PERMISSION.get(method)
    if permission is None:
        return _check_action_api(app, matrix, rule, view, method, methods)
    declared = permission in view.base_permissions
    all_pks, per_user = matrix.pks.get(f"{resource}View", ([], {}))
    all_pks = _int_keys_only(rule, all_pks)
    needs_pk = "pk" in rule.arguments
    if needs_pk and not all_pks:
        return
    http = next(iter(methods)).lower()
    path = _path(rule, pk=all_pks[0]) if needs_pk else rule.rule
    # A method the resource does not offer at all is a 403 for everyone, even anonymous.
    _anon_api(matrix, http, path, 401 if declared else 403)
    for who, role in USERS.items():
        allowed = declared and granted(role, resource, permission)
        if http in ("get",):
            if not needs_pk:
                _api_expect(matrix, who, "get", path, {200} if allowed else {403})
                continue
            visible = per_user.get(who, set())
            inside = next((pk for pk in all_pks if pk in visible), None)
            outside = next((pk for pk in all_pks if pk not in visible), None)
            for pk, in_scope in ((inside, True), (outside, False)):
                if pk is None:
                    continue
                expected = ({200} if in_scope else {404}) if allowed else {403}
                _api_expect(matrix, who, "get", _path(rule, pk=pk), expected)
        elif not allowed:
            _api_expect(matrix, who, http, path, {403}, json={"x": 1})
        elif http in ("post", "put"):
            # An allowed write with an unknown field is refused as bad input, never a 500.
            _api_expect(matrix, who, http, path, {400, 404, 422}, json={"no_such_field": 1})


def _anon_api(matrix, http, path, code):
    if not matrix.wants(ANON):
        return
    matrix.checked += 1
    if matrix.dry:
        return
    resp = getattr(matrix.clients[ANON], http)(path, json={})
    if resp.status_code != code:
        matrix.failures.append(f"匿名 {http.upper()} {path}: {resp.status_code}, 应为 {code}")


def _api_expect(matrix, who, http, path, codes, **kw):
    if not matrix.wants(who):
        return
    matrix.checked += 1
    if matrix.dry:
        return
    resp = getattr(matrix.api[who], http)(path, **kw)
    if resp.status_code not in codes:
        matrix.failures.append(
            f"{who} API {http.upper()} {path}: {resp.status_code}, 应为 {sorted(codes)}"
        )


def _check_action_api(app, matrix, rule, view, method, methods):
    """Domain-action endpoints: refused roles get 403 and anonymous 401; allowed GETs 200/404."""
    resource = _resource(view.class_permission_name)
    permission = f"can_{method}"
    http = next(iter(methods)).lower()
    values = {arg: 1 for arg in rule.arguments}
    path = rule.build(values, append_unknown=False)[1]
    _anon_api(matrix, http, path, 401)
    for who, role in USERS.items():
        if not granted(role, resource, permission):
            _api_expect(matrix, who, http, path, {403}, json={})
