"""Every route of the URL map, with crafted ids and query arguments, as every demo role and an
anonymous visitor: no answer is a 5xx (issue 15, item 7: never a 500 on bad input).

Each route is called with a real id of its model and with crafted ones (0, -1, 2**63, 'abc',
'../x', '%00'); every action of every view on the one-row route (`/action/<name>/<pk>`) and on
the several-row route (`action_post`); GET and POST (with a valid CSRF token), PUT and DELETE on
the API; list pages and API reads with crafted `q`, `_oc_`, `_od_`, `page_`, `psize_` and
`_flt_` arguments. To keep the number of requests in the low thousands per role, the crafted
ids are shared out between the roles: every (route, crafted id) pair is tried by some role, and
every role tries every route with a real id."""

import re
from itertools import cycle

import pytest
from sqlalchemy import select

ROLES = (
    None,
    "admin",
    "office",
    "reviewer1",
    "committee1",
    "recommender1",
    "agency1",
    "sysadmin",
    "auditor1",
    "applicant1",  # issue 18
)
CRAFTED_IDS = ("0", "-1", str(2**63), "abc", "..%2Fx", "%00")
SKIP = {"static", "appbuilder.static", "AuthDBView.logout"}
# Real rows are not deleted (other routes still need them); deletes get crafted ids only.
NO_REAL_ID = re.compile(r"(/delete/|^/users/|^/roles/|^/groups/|/resetpasswords?/)")
CRAFTED_Q = (
    "((((((((((((((((((((",
    "1e%2B5",
    "(page:-1,page_size:1000000000)",
    "(order_column:'id;drop table x',order_direction:asc)",
    "(filters:!((col:id,opr:eq,value:abc)))",
    "(columns:!(nope),keys:!(nope))",
)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _pks(app) -> dict:
    """The first and last id of each view's model (a view name -> ids)."""
    from app.extensions import db

    found = {}
    with app.app_context():
        for view in app.appbuilder.baseviews:
            model = getattr(getattr(view, "datamodel", None), "obj", None)
            if model is None:
                continue
            key = model.__mapper__.primary_key[0]
            first = db.session.scalar(select(key).order_by(key).limit(1))
            last = db.session.scalar(select(key).order_by(key.desc()).limit(1))
            found[type(view).__name__] = [str(k) for k in dict.fromkeys((first, last)) if k]
        db.session.remove()
    return found


def _view(app, endpoint):
    name = endpoint.split(".")[0]
    return next((v for v in app.appbuilder.baseviews if type(v).__name__ == name), None)


def _fill(rule_text: str, values: dict) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), "1"), rule_text)


def _list_queries(view_name: str, view) -> list[str]:
    search = list(getattr(view, "search_columns", None) or [])[:3]
    queries = [
        f"_oc_{view_name}=id;drop table x&_od_{view_name}=asc",
        f"_oc_{view_name}=id&_od_{view_name}=sideways",
        f"page_{view_name}=-1",
        f"psize_{view_name}=1000000000",
        f"page_{view_name}=99999&psize_{view_name}=100",
    ]
    junk = ("abc", "2026-13-45", "-1e309", "%00", str(2**63))
    for n, column in enumerate(search):
        for flt in (0, 1, 9):
            queries.append(f"_flt_{flt}_{column}={junk[(n + flt) % len(junk)]}")
    return queries


def plan(app, role_index: int, pks: dict) -> list[tuple[str, str, object]]:
    """(method, path, body) for one role, deterministic."""
    crafted = cycle(CRAFTED_IDS[role_index % len(CRAFTED_IDS) :] + CRAFTED_IDS)
    # Crafted query arguments are shared out too: Admin (who passes every permission check)
    # tries every other one, each other role every fourth, at rotating offsets.
    step = 2 if role_index == 1 else 4
    offset = cycle(range(step))

    def share(variants):
        start = (role_index + next(offset)) % step
        return list(variants)[start::step]

    calls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIP:
            continue
        api = rule.rule.startswith("/api/")
        view = _view(app, rule.endpoint)
        view_name = type(view).__name__ if view else ""
        if api and view is not None and hasattr(view, "view_cls"):
            view_name = getattr(view.view_cls, "__name__", view_name)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        arg_names = [a for a in rule.arguments if a not in ("name", "version")]
        real = [] if NO_REAL_ID.search(rule.rule) else pks.get(view_name, [])[:1]
        ids = [*real, next(crafted)] if arg_names else [None]
        if role_index == 1 and arg_names:  # Admin reaches deepest: a second crafted id
            ids.append(next(crafted))
        names = [None]
        if "name" in rule.arguments:  # /action/<name>/<pk>: every action of the view
            names = list(getattr(view, "actions", {}) or {}) or ["nope"]
        for method in methods:
            for name in names:
                for pk in ids:
                    values = {a: pk for a in arg_names}
                    values.update({"name": name or "nope", "version": "v1"})
                    path = _fill(rule.rule, values)
                    body = None
                    if rule.endpoint.endswith(".action_post"):
                        for action in list(getattr(view, "actions", {}) or {}) or ["nope"]:
                            rows = real or [next(crafted)]
                            calls.append(("POST", path, {"action": action, "rowid": rows}))
                        break
                    if method in ("POST", "PUT", "PATCH"):
                        body = {"x": "1"} if not api else {"no_such_field": 1}
                    calls.append((method, path, body))
                if rule.endpoint.endswith(".action_post"):
                    break
        if "GET" in methods and not rule.arguments:
            if api and rule.endpoint.rsplit(".", 1)[-1] in ("get_list", "info"):
                calls += [("GET", f"{rule.rule}?q={q}", None) for q in share(CRAFTED_Q)]
            elif not api and rule.endpoint.endswith(".list") and view is not None:
                queries = share(_list_queries(view_name, view))
                calls += [("GET", f"{rule.rule}?{q}", None) for q in queries]
        if api and "GET" in methods and rule.endpoint.endswith(".get") and real:
            item = _fill(rule.rule, {"pk": real[0]})
            calls += [("GET", f"{item}?q={q}", None) for q in share(CRAFTED_Q[:2])]
    return calls


class Caller:
    def __init__(self, app, browser, api, username):
        self.client = browser(username).client if username else app.test_client()
        self.headers = api(username).headers if username else {}
        page = self.client.get("/userinfoeditview/form" if username else "/login/")
        match = CSRF.search(page.get_data(as_text=True))
        self.token = match.group(1) if match else ""

    def __call__(self, method, path, body):
        if path.startswith("/api/"):
            kw = {"json": body} if body is not None else {}
            return self.client.open(path, method=method, headers=self.headers, **kw)
        if method == "GET":
            return self.client.get(path)
        data = dict(body or {})
        data["csrf_token"] = self.token
        return self.client.open(path, method=method, data=data)


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=[r or "anonymous" for r in ROLES])
def test_every_route_with_crafted_ids_and_arguments_never_answers_a_5xx(
    app, demo, browser, api, role_index
):
    username = ROLES[role_index]
    call = Caller(app, browser, api, username)
    calls = plan(app, role_index, _pks(app))
    failures = []
    for method, path, body in calls:
        try:
            status = call(method, path, body).status_code
        except Exception as exc:  # noqa: BLE001 - an unhandled error is the server's 500
            status = f"500 {type(exc).__name__}: {str(exc)[:160]}"
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{username or '匿名'} {method} {path} {body or ''} -> {status}")
    assert len(calls) > 1000
    assert not failures, f"{len(failures)}/{len(calls)} 个请求出错：\n" + "\n".join(failures[:50])
