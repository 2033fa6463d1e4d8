"""Rule violations become a flashed message (screens) or a 422 with the rule ID (API)."""

from flask import flash, jsonify, redirect, render_template, request

from app.domain.errors import RuleViolation


def register_error_handlers(app) -> None:
    @app.errorhandler(RuleViolation)
    def rule_violation(exc: RuleViolation):
        from app.extensions import db

        db.session.rollback()
        if request.path.startswith("/api/"):
            from app.api_errors import error_body

            body, status = error_body(exc)  # one body and status per kind (issue 15)
            return jsonify(body), status
        flash(str(exc), "danger")
        return redirect(request.referrer or "/")

    @app.errorhandler(500)
    def server_error(exc):
        from app.extensions import db

        db.session.rollback()
        if request.path.startswith("/api/"):
            return jsonify(message="服务器内部错误，操作未完成，数据未改变"), 500
        return render_template("public/error.html", message="服务器内部错误，操作未完成"), 500
