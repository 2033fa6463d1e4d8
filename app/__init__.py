"""伊宁市政府质量奖评定管理系统: application package (factory in app.factory)."""
