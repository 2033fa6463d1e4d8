"""The pieces of Flask-AppBuilder that app/fab_seams.py replaces, each in place after start-up."""


def test_every_fab_seam_is_installed(app):
    from flask_appbuilder.api import BaseApi
    from flask_appbuilder.models.sqla import filters

    from app import fab_seams

    assert BaseApi.response_500.award_routed  # flask_appbuilder.api.BaseApi.response_500
    assert filters.set_value_to_type.award_decimal  # ...models.sqla.filters.set_value_to_type
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


def test_a_chinese_user_name_reads_without_a_space(app):
    """FAB's `User.get_full_name` joins first and last name with a space ("系 统管理员")."""
    from flask_appbuilder.security.sqla.models import User

    assert User.get_full_name.award_joined
    assert User(first_name="系", last_name="统管理员").get_full_name() == "系统管理员"
    assert User(first_name="Ada", last_name="Lovelace").get_full_name() == "Ada Lovelace"
