"""Forms grouped like their show pages: one declaration of the groups, each citing its rule."""


def form_fieldsets(groups, columns):
    """The show page's `groups` for a form with `columns`: each group keeps the form's columns
    it names, in the form's order; a column no group names joins the group of the column
    before it; groups left empty are dropped."""
    home = {field: i for i, (_name, spec) in enumerate(groups) for field in spec["fields"]}
    fields: list[list[str]] = [[] for _ in groups]
    current = 0
    for column in columns:
        current = home.get(column, current)
        fields[current].append(column)
    return [
        (name, {"fields": chosen})
        for (name, _spec), chosen in zip(groups, fields, strict=True)
        if chosen
    ]
