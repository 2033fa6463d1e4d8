"""The floor: a bare Flask route, one SQL query, a plain Jinja table (no login, menu or widgets)."""

from flask import Flask, abort, render_template_string, request
from sqlalchemy import create_engine, text

from .screens import BY_VIEW

TABLE = """<!doctype html><html><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><table><thead><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr>{% for cell in row[1:] %}<td>{{ cell if cell is not none else ''
}}</td>{% endfor %}</tr>{% endfor %}</tbody></table></body></html>"""


def create_floor_app(database_url: str, engine=None) -> Flask:
    app = Flask(__name__)
    app.config["ENGINE"] = engine or create_engine(database_url)

    @app.get("/floor/<view>/")
    def listing(view):
        screen = BY_VIEW.get(view)
        if screen is None:
            abort(404)
        size = int(request.args.get("psize", 25))
        page = int(request.args.get("page", 0))
        with app.config["ENGINE"].connect() as conn:
            rows = conn.execute(text(screen.sql), {"limit": size, "offset": page * size}).all()
        return render_template_string(TABLE, title=view, headers=screen.headers, rows=rows)

    return app
