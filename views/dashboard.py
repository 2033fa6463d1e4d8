"""The home page per role: the Office's dashboard and work waiting, the Committee's votes, a
reviewer's assignments, a recommender's recommendations.

The service's figures carry no words of any language but the data's; the charts are worded and
drawn here, per request, in the page's language."""

from flask import g, redirect, request, url_for
from flask_appbuilder import IndexView, expose
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.services import charts
from app.services import dashboard as svc


class DashboardIndexView(IndexView):
    route_base = ""
    index_template = "award/dashboard.html"

    @expose("/")
    def index(self):
        user = getattr(g, "user", None)
        if user is None or not user.is_authenticated:
            return redirect(url_for("AuthDBView.login"))
        data = svc.dashboard_for(user, year=request.args.get("year", type=int))
        if data["kind"] in ("office", "committee") and data["cycle"] is not None:
            data["charts"] = office_charts(data)
        return self.render_template(self.index_template, data=data, appbuilder=self.appbuilder)


def office_charts(data: dict) -> dict:
    """Applications per status, score distribution per category, finalists' radar (SVG)."""
    no_data = _("暂无数据")
    bars = []
    for status, n in data["status_counts"]:
        label, text = _(status), ngettext("%(num)d 件", "%(num)d 件", n)
        bars.append(charts.Bar(label, n, text, _("%(label)s：%(value)s", label=label, value=text)))
    spans = []
    for code, name_zh, name_en, low, mean, high in data["categories"]:
        label = f"{code} {_criteria_name(name_zh, name_en)}"
        tip = _(
            "%(label)s：平均 %(mean)s（%(low)s～%(high)s）",
            label=label,
            mean=f"{mean:.1f}%",
            low=f"{low:.1f}%",
            high=f"{high:.1f}%",
        )
        spans.append(charts.Span(label, low, mean, high, tip))
    drawn = {
        "applications": charts.bar_chart(bars, title=_("申报状态分布"), empty=no_data),
        "categories": charts.range_chart(
            spans, title=_("各类目得分率（已提交评分表）"), empty=no_data
        ),
        "radar": "",
    }
    if data["finalists"]:
        year, axes, series = data["finalists"]
        drawn["radar"] = charts.radar_chart(
            [_criteria_name(zh, en) for zh, en in axes],
            series,  # applicants' names: shown as registered
            title=_("%(year)s年度入围对象各类目得分率", year=year),
        )
    return drawn


def _criteria_name(name_zh: str, name_en: str) -> str:
    """A criteria category's name in the page's language (its English name from GB/T 19580)."""
    return name_en if name_en and get_locale().language != "zh" else name_zh
