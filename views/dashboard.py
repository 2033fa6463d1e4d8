"""The landing page: the Office's dashboard, or a reviewer's own to-do list."""

from flask import g, redirect, request, url_for
from flask_appbuilder import IndexView, expose

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
        return self.render_template(self.index_template, data=data, appbuilder=self.appbuilder)
