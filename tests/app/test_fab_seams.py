"""The pieces of Flask-AppBuilder that app/fab_seams.py replaces, each in place after start-up."""

import hashlib
import importlib
import inspect
import re
import sys
from pathlib import Path

import pytest

from app import fab_seams


def test_every_fab_seam_is_installed(app):
    from flask_appbuilder.api import BaseApi
    from flask_appbuilder.models.sqla import filters

    assert BaseApi.response_500.award_routed  # flask_appbuilder.api.BaseApi.response_500
    assert filters.set_value_to_type.award_decimal  # ...models.sqla.filters.set_value_to_type
    assert importlib.import_module("flask_appbuilder.api").jsonschema.award_compiled
    downloads = [
        r.endpoint for r in app.url_map.iter_rules() if r.rule.endswith(fab_seams.GENERIC_DOWNLOAD)
    ]
    assert downloads  # every model view's /<view>/download/<filename>
    assert all(app.view_functions[e] is fab_seams._closed for e in downloads)


def test_fab_still_returns_no_widget_after_a_refused_save_so_the_form_can_come_back():
    """views/refusals.py relies on FAB 5.3: `BaseCRUDView._add`/`_edit` call `process_form`,
    then `pre_add`/`pre_update` inside `except Exception` (flashed) and return None; `add`/
    `edit` then call `post_add_redirect`/`post_edit_redirect`. The refused form is rendered
    with `add_widget`/`edit_widget` and `_filters.get_relation_cols()`."""
    import inspect

    from flask_appbuilder.baseviews import BaseCRUDView
    from flask_appbuilder.views import ModelView

    for private, hook in (("_add", "pre_add"), ("_edit", "pre_update")):
        source = inspect.getsource(getattr(BaseCRUDView, private))
        assert "self.process_form(form" in source
        assert f"self.{hook}(item)" in source
        assert "except Exception as e:" in source and "return None" in source
        assert "self._filters.get_relation_cols()" in source
    for public, redirect in (("add", "post_add_redirect"), ("edit", "post_edit_redirect")):
        assert f"self.{redirect}()" in inspect.getsource(getattr(ModelView, public))


# --- what remains private or copied fails loudly when FAB changes (issue 20) ---------------


ROOT = Path(__file__).resolve().parents[2]


def _fab_object(dotted: str):
    module_name, _, rest = dotted.partition(".")
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name, None)
            if obj is None:
                pytest.fail(f"Flask-AppBuilder 已没有 {dotted}（app/fab_seams.py 依赖它）")
        return getattr(obj, "award_original", obj)
    pytest.fail(f"找不到 {dotted}")


def _parameters(fn) -> str:
    parts = []
    for p in inspect.signature(fn).parameters.values():
        parts.append(p.name if p.default is p.empty else f"{p.name}={p.default!r}")
    return ", ".join(parts)


@pytest.mark.parametrize("dotted", sorted(fab_seams.PRIVATE_OVERRIDES))
def test_each_private_fab_method_we_override_keeps_its_signature_issue_20(app, dotted):
    expected, why = fab_seams.PRIVATE_OVERRIDES[dotted]
    found = _parameters(_fab_object(dotted))
    assert found == expected, (
        f"Flask-AppBuilder 的私有方法 {dotted} 的参数变了：({found})，"
        f"按 FAB {fab_seams.FAB_TESTED} 写的是 ({expected})。用到它的地方：{why}"
    )


@pytest.mark.parametrize("dotted", sorted(fab_seams.REPLACED_PUBLIC))
def test_each_public_fab_function_we_replace_keeps_its_signature_issue_20(app, dotted):
    expected = fab_seams.REPLACED_PUBLIC[dotted]
    found = _parameters(_fab_object(dotted))
    assert found == expected, f"{dotted} 的参数变了：({found})，替换它的代码按 ({expected}) 写"


@pytest.mark.parametrize("template", sorted(fab_seams.COPIED_TEMPLATES))
def test_each_copied_fab_template_matches_the_fab_source_it_was_copied_from_issue_20(template):
    import flask_appbuilder

    ours, digest = fab_seams.COPIED_TEMPLATES[template]
    original = Path(flask_appbuilder.__file__).parent / "templates" / template
    assert original.exists(), f"Flask-AppBuilder 已没有模板 {template}（{ours} 复制自它）"
    found = hashlib.sha256(original.read_bytes()).hexdigest()
    assert found == digest, (
        f"Flask-AppBuilder 的模板 {template} 变了：请把变化合并进复制件 {ours}，"
        f"再更新 app/fab_seams.py COPIED_TEMPLATES 中的哈希（{found}）"
    )
    assert (ROOT / ours).exists(), ours


def test_fab_is_pinned_to_the_tested_minor_version_issue_20():
    import flask_appbuilder

    assert flask_appbuilder.__version__.startswith(fab_seams.FAB_TESTED + "."), (
        f"已安装 Flask-AppBuilder {flask_appbuilder.__version__}，"
        f"私有方法和复制的模板按 {fab_seams.FAB_TESTED} 核对"
    )
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    major, minor = fab_seams.FAB_TESTED.split(".")
    assert f'"Flask-AppBuilder>={major}.{minor},<{major}.{int(minor) + 1}"' in pyproject


def _fab_private_names_we_define() -> set[str]:
    """Every FAB method whose name starts with one underscore that a class of ours defines."""
    found = set()
    for name, module in list(sys.modules.items()):
        if not (name.startswith(("app.", "views", "models")) and module is not None):
            continue
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != name:
                continue
            for attr in vars(cls):
                if not attr.startswith("_") or attr.startswith("__"):
                    continue
                for base in cls.__mro__[1:]:
                    if base.__module__.startswith("flask_appbuilder") and attr in vars(base):
                        found.add(f"{base.__module__}.{base.__qualname__}.{attr}")
    return found


def test_no_other_private_fab_method_is_overridden_issue_20(app):
    """A new override of a private FAB method must be listed (and so guarded) in
    app/fab_seams.py PRIVATE_OVERRIDES."""
    listed = set(fab_seams.PRIVATE_OVERRIDES)
    unlisted = {d for d in _fab_private_names_we_define() if d not in listed}
    # a subclass of the listed class overriding the same method is covered by the listing
    unlisted = {
        d for d in unlisted if d.rsplit(".", 1)[1] not in {x.rsplit(".", 1)[1] for x in listed}
    }
    assert not unlisted, f"未登记的 FAB 私有方法覆盖：{sorted(unlisted)}（见 app/fab_seams.py）"


PRIVATE_CALL = re.compile(r"super\(\)\.(_[a-z]\w*)\(")


def test_no_private_fab_method_is_called_outside_the_listed_overrides_issue_20():
    listed = {d.rsplit(".", 1)[1] for d in fab_seams.PRIVATE_OVERRIDES}
    calls = set()
    for path in [*ROOT.glob("app/**/*.py"), *ROOT.glob("views/*.py")]:
        calls |= set(PRIVATE_CALL.findall(path.read_text(encoding="utf-8")))
    assert calls <= listed, f"调用了未登记的 FAB 私有方法：{sorted(calls - listed)}"


def test_a_chinese_user_name_reads_without_a_space(app):
    """FAB's `User.get_full_name` joins first and last name with a space ("系 统管理员")."""
    from flask_appbuilder.security.sqla.models import User

    assert User.get_full_name.award_joined
    assert User(first_name="系", last_name="统管理员").get_full_name() == "系统管理员"
    assert User(first_name="Ada", last_name="Lovelace").get_full_name() == "Ada Lovelace"


def test_a_models_filters_are_converted_once_and_each_filters_gets_its_own_lists_issue_20(app):
    """views/base.py AwardFilterConverter keeps a column's converted filters per interface:
    FAB 5.3's `Filters.__init__` converts every column of the model (`filter_converter(
    datamodel).convert(col)`), three or four times per list page. A second `Filters` converts
    nothing again, gets the same filters per column, and extending one (`search_filters`)
    leaves the next alone."""
    from flask_appbuilder.models.filters import Filters

    from views.base import AwardFilterConverter, AwardInterface

    with app.app_context():
        from models import Application

        datamodel = AwardInterface(Application)
        asked = []
        probe = datamodel.is_string
        datamodel.is_string = lambda col: asked.append(col) or probe(col)
        first = Filters(AwardFilterConverter, datamodel)
        assert asked, "FAB no longer converts the columns through filter_converter"
        asked.clear()
        second = Filters(
            AwardFilterConverter, datamodel, ["number"], {"number": [first._all_filters["id"][0]]}
        )
        assert not asked
        assert {k: [type(f) for f in v] for k, v in first._all_filters.items()} == {
            k: [type(f) for f in v] for k, v in second._all_filters.items()
        }
        third = Filters(AwardFilterConverter, datamodel, ["number"])
        assert len(third.get_search_filters()["number"]) == len(first._all_filters["number"])


def test_an_api_query_argument_is_checked_against_a_schema_checked_once_issue_20(
    demo, api, monkeypatch
):
    """FAB 5.3's `@rison(schema)` (every API list, item and info call with `?q=`) validated the
    argument with `jsonschema.validate`, which first checks the schema itself against its
    meta-schema: on every request, about nine tenths of that call's time. The schema is now
    checked once and its validator kept; a bad argument is still refused with its Chinese
    message (app/request_guards.py answers it before FAB's check) each time it is sent."""
    import jsonschema

    checked = []
    for cls in {jsonschema.validators.validator_for({}), jsonschema.Draft7Validator}:
        original = cls.check_schema.__func__
        monkeypatch.setattr(
            cls,
            "check_schema",
            classmethod(lambda c, s, *a, _o=original, **k: (checked.append(id(s)), _o(c, s))),
        )
    office = api("office")
    for _ in range(3):
        good = office.get("/api/v1/application/?q=(page:0,page_size:5)")
        assert good.status_code == 200, good.get_json()
        assert len(good.get_json()["result"]) == 5
    assert len(checked) <= 1, f"每次请求都重新检查了查询参数的 JSON Schema：{len(checked)} 次"
    answers = [office.get("/api/v1/application/?q=(page_size:abc)") for _ in range(2)]
    assert [a.status_code for a in answers] == [400, 400]
    messages = {a.get_json()["message"] for a in answers}
    assert len(messages) == 1 and "page_size" in messages.pop()


@pytest.mark.parametrize("dotted", sorted(fab_seams.REPLACED_IMPORTS))
def test_each_module_we_replace_inside_fab_is_still_called_as_we_replace_it_issue_20(dotted):
    """A module FAB imported and app/fab_seams.py replaces in FAB's module is only used if
    FAB still calls it the same way."""
    module_name, _name = dotted.rsplit(".", 1)
    line, _why = fab_seams.REPLACED_IMPORTS[dotted]
    source = inspect.getsource(importlib.import_module(module_name))
    assert line in source, (
        f"FAB 的 {module_name} 不再包含 `{line}`：检查 app/fab_seams.py 对它的替换"
    )


def test_the_kept_validators_refuse_exactly_what_jsonschema_validate_refuses_issue_20():
    """`RisonSchemas.validate` raises the error `jsonschema.validate` raises, for FAB's own
    list and item schemas and arguments good and bad, the first time and after."""
    import jsonschema
    from flask_appbuilder.api.schemas import get_item_schema, get_list_schema

    kept = fab_seams.RisonSchemas(jsonschema)
    cases = [
        (get_list_schema, {"page": 0, "page_size": 5}),
        (get_list_schema, {"page_size": "abc"}),
        (get_list_schema, {"order_direction": "sideways"}),
        (get_list_schema, {"filters": [{"col": "id", "opr": "eq"}]}),
        (get_list_schema, {"columns": "id"}),
        (get_item_schema, {"columns": ["id"], "keys": ["show_columns"]}),
        (get_item_schema, {"keys": ["nope"]}),
    ]
    refused = []
    for _ in range(2):
        for schema, instance in cases:
            try:
                jsonschema.validate(instance=instance, schema=schema)
                expected = None
            except jsonschema.ValidationError as exc:
                expected = str(exc)
            try:
                kept.validate(instance=instance, schema=schema)
                got = None
            except jsonschema.ValidationError as exc:
                got = str(exc)
            assert got == expected, instance
            refused.append(got is not None)
    assert refused.count(True) == 10 and refused.count(False) == 4, refused  # 5 bad, 2 good


def test_an_api_list_joins_its_related_rows_through_aliases_made_once_issue_20(
    demo, api, monkeypatch
):
    """FAB 5.3's API list joins each related table a dotted column reads (`cycle.name`)
    through `aliased(...)`, made anew for the page and again for its count on every request;
    building an alias's columns was about half the request. Each view's aliases are now made
    once: the same rows come back, and a second request makes none."""
    from flask_appbuilder.models.sqla import interface

    from views import base

    made = []
    for module in (interface, base):  # FAB's method, and ours in views/base.py
        original = module.aliased
        monkeypatch.setattr(
            module,
            "aliased",
            lambda *a, _original=original, **k: made.append(a[0]) or _original(*a, **k),
        )
    office = api("office")
    url = "/api/v1/application/?q=(page:0,page_size:5,order_column:id,order_direction:asc)"
    first = office.get(url)
    assert first.status_code == 200, first.get_json()
    made_first = len(made)
    second = office.get(url)
    assert second.get_json()["result"] == first.get_json()["result"]
    assert second.get_json()["count"] == first.get_json()["count"] == demo["applications"]
    assert len(made) == made_first, f"第二次请求又建了 {len(made) - made_first} 个别名"
    assert any("." in c for c in first.get_json()["list_columns"])  # it reads related rows


@pytest.mark.parametrize("dotted", sorted(fab_seams.FAB_SOURCES))
def test_each_fab_function_we_repeat_with_a_change_is_still_the_one_we_copied_issue_20(dotted):
    found = hashlib.sha256(inspect.getsource(_fab_object(dotted)).encode()).hexdigest()
    assert found == fab_seams.FAB_SOURCES[dotted], (
        f"Flask-AppBuilder 的 {dotted} 的源码变了：我们的代码照 FAB {fab_seams.FAB_TESTED} "
        "的这段源码改写，请对照新源码检查"
    )
