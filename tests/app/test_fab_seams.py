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
